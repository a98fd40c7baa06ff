using ImageHub.Filters.Tests.Support;

namespace ImageHub.Filters.Tests;

/// <summary>
/// The two filters in the order the sidecar runs them (multi-tenancy → rate-limit): the tenant
/// header the first one sets is what the second one checks the token against.
/// </summary>
public class FilterChainTests
{
    [Fact]
    public void A_token_of_the_hosts_tenant_reaches_the_quota_service()
    {
        using var tenancy = TestFilters.Tenancy();
        using var rateLimit = TestFilters.RateLimit();
        var first = tenancy.Request("GET", "/api/images/42/pull", "acme.localhost:8080", ("authorization", "Bearer " + rateLimit.Now(tenant: "acme")));
        var second = rateLimit.NewExchange();
        second.SendRequestHeaders(first.RequestHeaders.Clone());

        Assert.Contains("\"tenant\":\"acme\"", Assert.Single(rateLimit.PendingCallouts).BodyText);
    }

    [Fact]
    public void A_globex_token_on_an_acme_host_is_a_403_even_with_a_forged_tenant_header()
    {
        using var tenancy = TestFilters.Tenancy();
        using var rateLimit = TestFilters.RateLimit();
        var first = tenancy.Request("GET", "/api/images/42/pull", "acme.localhost",
            ("authorization", "Bearer " + rateLimit.Now(tenant: "globex")), ("x-imagehub-tenant", "globex"));
        var second = rateLimit.NewExchange();
        second.SendRequestHeaders(first.RequestHeaders.Clone());

        Assert.Equal(403, second.LocalReply!.StatusCode);
        Assert.Empty(rateLimit.AllCallouts);
    }
}
