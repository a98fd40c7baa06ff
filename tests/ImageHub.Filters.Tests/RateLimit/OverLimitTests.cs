using ImageHub.Filters.Tests.Support;
using ImageHub.ProxyWasm.Testing;

namespace ImageHub.Filters.Tests.RateLimit;

/// <summary>After a denial the filter answers 429 itself, from shared data, until the window resets.</summary>
public class OverLimitTests
{
    [Fact]
    public void Retries_inside_the_window_get_429_without_a_callout()
    {
        using var filter = TestFilters.RateLimit();
        filter.Pull(filter.Now());
        Assert.Single(filter.PendingCallouts).Respond(200, TestFilters.Denied(resetSeconds: 30));

        filter.AdvanceTime(TimeSpan.FromSeconds(10));
        var retry = filter.Pull(filter.Now());

        Assert.Single(filter.AllCallouts);
        Assert.Equal(429, retry.LocalReply!.StatusCode);
        Assert.Equal("20", retry.LocalReply.Headers["retry-after"]);
        Assert.Equal("20", retry.LocalReply.Headers["x-ratelimit-reset"]);
        Assert.Equal("10", retry.LocalReply.Headers["x-ratelimit-limit"]);
        Assert.Equal(2, filter.Metric("ratelimit.denied"));
        Assert.Equal(1, filter.Metric("ratelimit.denied_without_callout"));
    }

    [Fact]
    public void After_the_window_the_quota_service_is_asked_again()
    {
        using var filter = TestFilters.RateLimit();
        filter.Pull(filter.Now());
        Assert.Single(filter.PendingCallouts).Respond(200, TestFilters.Denied(resetSeconds: 30));

        filter.AdvanceTime(TimeSpan.FromSeconds(31));
        var later = filter.Pull(filter.Now());

        Assert.Equal(2, filter.AllCallouts.Count);
        Assert.Null(later.LocalReply);
    }

    [Fact]
    public void Other_users_and_other_tenants_are_not_affected()
    {
        using var filter = TestFilters.RateLimit();
        filter.Pull(filter.Now(user: "alice"));
        Assert.Single(filter.PendingCallouts).Respond(200, TestFilters.Denied());

        filter.Pull(filter.Now(user: "bob"));
        filter.Pull(filter.Now(user: "alice", tenant: "globex"), tenantHeader: "globex");

        Assert.Equal(3, filter.AllCallouts.Count);
    }

    [Fact]
    public void A_plan_change_brings_a_new_token_that_the_quota_service_decides_on()
    {
        using var filter = TestFilters.RateLimit();
        var personal = filter.Now(plan: "personal");
        filter.Pull(personal);
        Assert.Single(filter.PendingCallouts).Respond(200, TestFilters.Denied(resetSeconds: 50));

        var upgraded = filter.Pull(filter.Now(plan: "team"));
        Assert.Single(filter.PendingCallouts).Respond(200, """{"allowed":true,"plan":"team","limit":100,"remaining":88,"resetSeconds":50}""");
        upgraded.SendResponseHeaders(200);
        var stale = filter.Pull(personal);

        Assert.Equal("100", upgraded.ResponseHeaders["x-ratelimit-limit"]);
        Assert.Equal(429, stale.LocalReply!.StatusCode);
        Assert.Equal(2, filter.AllCallouts.Count);
    }

    [Fact]
    public void Every_vm_replica_sees_the_block()
    {
        // Streams are spread round robin over the replicas; shared data is host-wide, as in Envoy.
        using var filter = TestFilters.RateLimit(options: new HarnessOptions { Replicas = 3 });
        filter.Pull(filter.Now());
        Assert.Single(filter.PendingCallouts).Respond(200, TestFilters.Denied(resetSeconds: 30));

        var retries = Enumerable.Range(0, 3).Select(_ => filter.Pull(filter.Now())).ToList();

        Assert.Single(filter.AllCallouts);
        Assert.All(retries, r => Assert.Equal(429, r.LocalReply!.StatusCode));
    }
}
