using ImageHub.Filters.Tests.Support;
using ImageHub.ProxyWasm;
using ImageHub.ProxyWasm.Testing;

namespace ImageHub.Filters.Tests.RateLimit;

/// <summary>When the quota service cannot answer: open lets the request through marked degraded, closed answers 503.</summary>
public class FailureModeTests
{
    public enum Trouble { ServerError, Unavailable, Timeout, Reset, NotJson, WrongShape }

    private static void Cause(FilterHarness filter, Trouble trouble)
    {
        var callout = Assert.Single(filter.PendingCallouts);
        switch (trouble)
        {
            case Trouble.ServerError: callout.Respond(500, "boom"); break;
            case Trouble.Unavailable: callout.Respond(503, """{"title":"store unavailable"}"""); break;
            case Trouble.Timeout: filter.AdvanceTime(TimeSpan.FromMilliseconds(300)); break;
            case Trouble.Reset: callout.Reset(); break;
            case Trouble.NotJson: callout.Respond(200, "<html>proxy error</html>"); break;
            case Trouble.WrongShape: callout.Respond(200, """{"allowed":"yes"}"""); break;
        }
    }

    [Theory]
    [InlineData(Trouble.ServerError)]
    [InlineData(Trouble.Unavailable)]
    [InlineData(Trouble.Timeout)]
    [InlineData(Trouble.Reset)]
    [InlineData(Trouble.NotJson)]
    [InlineData(Trouble.WrongShape)]
    public void Fail_open_continues_and_marks_the_response_degraded(Trouble trouble)
    {
        using var filter = TestFilters.RateLimit(TestFilters.RateLimitConfiguration("open"));
        var pull = filter.NewExchange();
        var request = pull.SendRequestHeaders("GET", "/api/images/42/pull", "acme.localhost",
            ("x-imagehub-tenant", "acme"), ("authorization", "Bearer " + filter.Now()));

        Cause(filter, trouble);

        Assert.Equal(FilterAction.Continue, request.Action);
        pull.SendResponseHeaders(200);
        Assert.Equal("degraded", pull.ResponseHeaders["x-ratelimit-status"]);
        Assert.Null(pull.ResponseHeaders["x-ratelimit-limit"]);
        Assert.Equal(1, filter.Metric("ratelimit.degraded"));
    }

    [Theory]
    [InlineData(Trouble.ServerError)]
    [InlineData(Trouble.Timeout)]
    [InlineData(Trouble.Reset)]
    [InlineData(Trouble.NotJson)]
    public void Fail_closed_answers_503(Trouble trouble)
    {
        using var filter = TestFilters.RateLimit(TestFilters.RateLimitConfiguration("closed"));
        var pull = filter.Pull(filter.Now());

        Cause(filter, trouble);

        Assert.Equal(503, pull.LocalReply!.StatusCode);
        Assert.Equal("""{"error":"quota_unavailable"}""", pull.LocalReply.BodyText());
        Assert.Equal(1, filter.Metric("ratelimit.quota_unavailable"));
    }

    [Fact]
    public void The_timeout_is_the_configured_one()
    {
        using var filter = TestFilters.RateLimit(TestFilters.RateLimitConfiguration("closed", timeoutMs: 1000));
        var pull = filter.NewExchange();
        var request = pull.SendRequestHeaders("GET", "/api/images/42/pull", "acme.localhost",
            ("x-imagehub-tenant", "acme"), ("authorization", "Bearer " + filter.Now()));

        filter.AdvanceTime(TimeSpan.FromMilliseconds(900));
        Assert.True(request.IsPaused);
        filter.AdvanceTime(TimeSpan.FromMilliseconds(200));
        Assert.Equal(503, pull.LocalReply!.StatusCode);
    }

    [Fact]
    public void An_unknown_quota_cluster_is_a_failure_too()
    {
        var options = new HarnessOptions { Clusters = ["somewhere-else"] };
        using var open = TestFilters.RateLimit(TestFilters.RateLimitConfiguration("open"), options);
        var pull = open.Pull(open.Now());
        pull.SendResponseHeaders(200);
        Assert.Equal("degraded", pull.ResponseHeaders["x-ratelimit-status"]);

        using var closed = TestFilters.RateLimit(TestFilters.RateLimitConfiguration("closed"), options);
        Assert.Equal(503, closed.Pull(closed.Now()).LocalReply!.StatusCode);
    }
}
