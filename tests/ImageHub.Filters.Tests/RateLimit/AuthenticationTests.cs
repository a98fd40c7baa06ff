using ImageHub.Filters.Tests.Support;
using ImageHub.ProxyWasm;

namespace ImageHub.Filters.Tests.RateLimit;

/// <summary>A counted request needs a valid session token (HS256 signature and exp checked in the filter).</summary>
public class AuthenticationTests
{
    [Fact]
    public void A_valid_bearer_token_goes_to_the_quota_service()
    {
        using var filter = TestFilters.RateLimit();
        var pull = filter.Pull(filter.Now());

        Assert.True(pull.LocalReply is null);
        var callout = Assert.Single(filter.PendingCallouts);
        Assert.Equal("quota", callout.Cluster);
    }

    [Fact]
    public void The_session_cookie_is_accepted_too()
    {
        using var filter = TestFilters.RateLimit();
        filter.Pull(null, "acme", ("cookie", "theme=dark; imagehub_session=" + filter.Now() + "; other=1"));

        Assert.Single(filter.PendingCallouts);
    }

    [Fact]
    public void No_token_is_a_401_with_a_bearer_challenge()
    {
        using var filter = TestFilters.RateLimit();
        var pull = filter.Pull(null);

        var reply = pull.LocalReply!;
        Assert.Equal(401, reply.StatusCode);
        Assert.StartsWith("Bearer", reply.Headers["www-authenticate"]);
        Assert.Equal("application/json", reply.Headers["content-type"]);
        Assert.Equal("""{"error":"unauthorized"}""", reply.BodyText());
        Assert.Empty(filter.AllCallouts);
        Assert.Equal(1, filter.Metric("ratelimit.unauthenticated"));
    }

    public static TheoryData<string, string> BadTokens()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero); // the harness clock's start
        var claims = $$"""{"sub":"alice","tenant":"acme","plan":"personal","exp":{{now.AddHours(1).ToUnixTimeSeconds()}}}""";
        var good = SessionTokens.Sign(now);
        var parts = good.Split('.');
        return new TheoryData<string, string>
        {
            { "garbage", "not-a-token" },
            { "two segments", parts[0] + "." + parts[1] },
            { "four segments", good + ".x" },
            { "empty segments", ".." },
            { "bad base64url", "!!!." + parts[1] + "." + parts[2] },
            { "padded base64url", parts[0] + "=." + parts[1] + "." + parts[2] },
            { "alg none", SessionTokens.Base64Url("""{"alg":"none","typ":"JWT"}"""u8.ToArray()) + "." + parts[1] + "." },
            { "alg none signed", SessionTokens.SignRaw("""{"alg":"none"}""", claims) },
            { "alg HS512", SessionTokens.SignRaw("""{"alg":"HS512","typ":"JWT"}""", claims) },
            { "forged with another key", SessionTokens.Sign(now, key: "another-signing-key-with-32-characters!!") },
            { "tampered payload", parts[0] + "." + SessionTokens.Base64Url(System.Text.Encoding.UTF8.GetBytes(claims.Replace("alice", "admin"))) + "." + parts[2] },
            { "truncated signature", good[..^4] },
            { "expired", SessionTokens.Sign(now.AddHours(-2), lifetime: TimeSpan.FromHours(1)) },
            { "expires right now", SessionTokens.Sign(now.AddHours(-1), lifetime: TimeSpan.FromHours(1)) },
            { "payload not JSON", SessionTokens.SignRaw("""{"alg":"HS256","typ":"JWT"}""", "not json") },
            { "payload a JSON array", SessionTokens.SignRaw("""{"alg":"HS256","typ":"JWT"}""", "[1,2]") },
            { "no exp", SessionTokens.SignRaw("""{"alg":"HS256"}""", """{"sub":"alice","tenant":"acme"}""") },
            { "exp not a number", SessionTokens.SignRaw("""{"alg":"HS256"}""", """{"sub":"alice","tenant":"acme","exp":"never"}""") },
            { "no sub", SessionTokens.SignRaw("""{"alg":"HS256"}""", $$"""{"tenant":"acme","exp":{{now.AddHours(1).ToUnixTimeSeconds()}}}""") },
            { "no tenant", SessionTokens.SignRaw("""{"alg":"HS256"}""", $$"""{"sub":"alice","exp":{{now.AddHours(1).ToUnixTimeSeconds()}}}""") },
            { "deeply nested payload", SessionTokens.SignRaw("""{"alg":"HS256"}""", new string('[', 500) + new string(']', 500)) },
            { "huge token", new string('a', 100_000) + "." + new string('b', 100_000) + "." + new string('c', 43) },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public void A_bad_token_is_a_401_and_no_callout(string why, string token)
    {
        using var filter = TestFilters.RateLimit();
        var pull = filter.Pull(token);

        Assert.True(pull.LocalReply is { StatusCode: 401 }, why);
        Assert.StartsWith("Bearer", pull.LocalReply!.Headers["www-authenticate"]);
        Assert.Empty(filter.AllCallouts);
        Assert.Equal(0, filter.Info.Failures);
    }

    [Fact]
    public void The_authorization_scheme_must_be_bearer()
    {
        using var filter = TestFilters.RateLimit();
        var pull = filter.Request("GET", "/api/images/42/pull", "acme.localhost",
            ("x-imagehub-tenant", "acme"), ("authorization", "Basic " + filter.Now()));

        Assert.Equal(401, pull.LocalReply!.StatusCode);
    }

    [Fact]
    public void A_token_for_another_tenant_is_a_403()
    {
        using var filter = TestFilters.RateLimit();
        var pull = filter.Pull(filter.Now(tenant: "globex"), tenantHeader: "acme");

        Assert.Equal(403, pull.LocalReply!.StatusCode);
        Assert.Equal("""{"error":"wrong_tenant"}""", pull.LocalReply.BodyText());
        Assert.Empty(filter.AllCallouts);
        Assert.Equal(1, filter.Metric("ratelimit.forbidden"));
    }

    [Fact]
    public void Without_the_tenancy_filters_header_a_token_is_not_enough()
    {
        using var filter = TestFilters.RateLimit();
        var pull = filter.Pull(filter.Now(), tenantHeader: null);

        Assert.Equal(403, pull.LocalReply!.StatusCode);
    }

    [Fact]
    public void Huge_unrelated_headers_do_not_get_in_the_way()
    {
        using var filter = TestFilters.RateLimit();
        filter.Pull(filter.Now(), "acme", ("cookie", new string('x', 300_000)), ("x-padding", new string('y', 100_000)));

        Assert.Single(filter.PendingCallouts);
        Assert.Equal(0, filter.Info.Failures);
    }
}
