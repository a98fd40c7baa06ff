using ImageHub.ProxyWasm.Testing;

namespace ImageHub.Filters.Tests.Support;

/// <summary>The two filters loaded on the harness with the configurations the tests share.</summary>
internal static class TestFilters
{
    public const string TenancyConfiguration = """
        {"tenants":[
          {"id":"acme","hosts":["acme.localhost","acme.imagehub.example"]},
          {"id":"globex","hosts":["globex.localhost"]}
        ]}
        """;

    public const string TenancyPathPrefixConfiguration = """
        {"pathPrefix":"/t/","tenants":[
          {"id":"acme","hosts":["acme.localhost"]},
          {"id":"globex","hosts":[]}
        ]}
        """;

    public static string RateLimitConfiguration(string failureMode = "open", int timeoutMs = 250, string extra = "") =>
        $$"""{"signingKey":"{{SessionTokens.SigningKey}}","quotaCluster":"quota","quotaAuthority":"quota.internal","quotaTimeoutMs":{{timeoutMs}},"failureMode":"{{failureMode}}"{{extra}}}""";

    public static FilterHarness Tenancy(string? configuration = null) =>
        FilterHarness.Load(BuiltFilters.MultiTenancy, configuration ?? TenancyConfiguration);

    public static FilterHarness RateLimit(string? configuration = null, HarnessOptions? options = null) =>
        FilterHarness.Load(BuiltFilters.RateLimit, configuration ?? RateLimitConfiguration(), options);

    /// <summary>A counted request (the pull endpoint) as it arrives after the tenancy filter.</summary>
    public static HttpExchange Pull(this FilterHarness filter, string? token, string? tenantHeader = "acme", params (string, string)[] extra)
    {
        var headers = new List<(string, string)>();
        if (tenantHeader is not null) headers.Add(("x-imagehub-tenant", tenantHeader));
        if (token is not null) headers.Add(("authorization", "Bearer " + token));
        headers.AddRange(extra);
        return filter.Request("GET", "/api/images/42/pull", "acme.localhost", headers.ToArray());
    }

    public static string Now(this FilterHarness filter, string user = "alice", string tenant = "acme", TimeSpan? lifetime = null, string plan = "personal") =>
        SessionTokens.Sign(filter.Clock.GetUtcNow(), user, tenant, plan, lifetime);

    public const string Allowed = """{"allowed":true,"plan":"personal","limit":10,"remaining":9,"resetSeconds":60}""";

    public static string Denied(int resetSeconds = 37) =>
        $$"""{"allowed":false,"plan":"personal","limit":10,"remaining":0,"resetSeconds":{{resetSeconds}}}""";

    public static string BodyText(this ImageHub.ProxyWasm.LocalReply reply) => System.Text.Encoding.UTF8.GetString(reply.Body);
}
