using System.Text.Json;
using ImageHub.Filters.Tests.Support;
using ImageHub.ProxyWasm;

namespace ImageHub.Filters.Tests.RateLimit;

/// <summary>The request waits for POST /v1/quota/consume; the answer decides (README, "Quota service API").</summary>
public class QuotaDecisionTests
{
    [Fact]
    public void The_callout_follows_the_quota_service_contract()
    {
        using var filter = TestFilters.RateLimit();
        var pull = filter.Pull(filter.Now(user: "alice"));

        var callout = Assert.Single(filter.PendingCallouts);
        Assert.Equal("POST", callout.Request.Headers[":method"]);
        Assert.Equal("/v1/quota/consume", callout.Request.Headers[":path"]);
        Assert.Equal("quota.internal", callout.Request.Headers[":authority"]);
        Assert.Equal("application/json", callout.Request.Headers["content-type"]);
        using var body = JsonDocument.Parse(callout.BodyText);
        Assert.Equal("acme", body.RootElement.GetProperty("tenant").GetString());
        Assert.Equal("alice", body.RootElement.GetProperty("user").GetString());
        Assert.Equal(1, body.RootElement.GetProperty("cost").GetInt32());
    }

    [Fact]
    public void User_names_are_escaped_in_the_callout_body()
    {
        using var filter = TestFilters.RateLimit();
        filter.Pull(SessionTokens.Sign(filter.Clock.GetUtcNow(), user: "al\"ice\\\n"));

        using var body = JsonDocument.Parse(Assert.Single(filter.PendingCallouts).BodyText);
        Assert.Equal("al\"ice\\\n", body.RootElement.GetProperty("user").GetString());
    }

    [Fact]
    public void Allowed_continues_and_the_response_carries_the_limit_headers()
    {
        using var filter = TestFilters.RateLimit();
        var pull = filter.NewExchange();
        var request = pull.SendRequestHeaders("GET", "/api/images/42/pull", "acme.localhost",
            ("x-imagehub-tenant", "acme"), ("authorization", "Bearer " + filter.Now()));
        Assert.True(request.IsPaused);

        Assert.Single(filter.PendingCallouts).Respond(200, """{"allowed":true,"plan":"team","limit":100,"remaining":41,"resetSeconds":17}""");

        Assert.False(request.IsPaused);
        Assert.Equal(FilterAction.Continue, request.Action);
        pull.SendResponseHeaders(200);
        Assert.Equal("100", pull.ResponseHeaders["x-ratelimit-limit"]);
        Assert.Equal("41", pull.ResponseHeaders["x-ratelimit-remaining"]);
        Assert.Equal("17", pull.ResponseHeaders["x-ratelimit-reset"]);
        Assert.Null(pull.ResponseHeaders["x-ratelimit-status"]);
        Assert.Equal(1, filter.Metric("ratelimit.allowed"));
    }

    [Fact]
    public void Denied_is_a_429_with_retry_after_and_the_limit_headers()
    {
        using var filter = TestFilters.RateLimit();
        var pull = filter.Pull(filter.Now());

        Assert.Single(filter.PendingCallouts).Respond(200, TestFilters.Denied(resetSeconds: 37));

        var reply = pull.LocalReply!;
        Assert.Equal(429, reply.StatusCode);
        Assert.Equal("37", reply.Headers["retry-after"]);
        Assert.Equal("10", reply.Headers["x-ratelimit-limit"]);
        Assert.Equal("0", reply.Headers["x-ratelimit-remaining"]);
        Assert.Equal("37", reply.Headers["x-ratelimit-reset"]);
        Assert.Equal("application/json", reply.Headers["content-type"]);
        using var body = JsonDocument.Parse(reply.Body);
        Assert.Equal("rate_limited", body.RootElement.GetProperty("error").GetString());
        Assert.Equal(37, body.RootElement.GetProperty("resetSeconds").GetInt32());
        // The reply went back through the filter's response callback unchanged (Envoy does that).
        Assert.Equal("37", pull.LocalReplyHeaders!["retry-after"]);
        Assert.Equal(1, filter.Metric("ratelimit.denied"));
    }

    [Fact]
    public void The_callout_latency_is_recorded()
    {
        using var filter = TestFilters.RateLimit();
        filter.Pull(filter.Now());
        filter.AdvanceTime(TimeSpan.FromMilliseconds(40));
        Assert.Single(filter.PendingCallouts).Respond(200, TestFilters.Allowed);

        var histogram = Assert.Single(filter.Metrics, m => m.Name == "ratelimit.quota_callout_ms");
        Assert.Equal(1, histogram.Value);
    }

    [Fact]
    public void A_client_that_goes_away_before_the_answer_leaves_nothing_behind()
    {
        using var filter = TestFilters.RateLimit();
        var pull = filter.Pull(filter.Now());
        pull.Complete();

        Assert.Equal(0, filter.Info.Failures);
        var next = filter.Pull(filter.Now());
        filter.PendingCallouts.Last().Respond(200, TestFilters.Allowed);
        Assert.Equal(0, filter.Info.Failures);
    }
}
