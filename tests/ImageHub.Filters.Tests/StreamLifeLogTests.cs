using ImageHub.Filters.Tests.Support;
using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Testing;

namespace ImageHub.Filters.Tests;

/// <summary>
/// A request's whole life (context creation, headers, callout, done, log, delete) must not log
/// at debug level or below. The SDK's own proxy_on_context_create and base onDone/onLog/onDelete
/// format about ten debug lines per stream whatever the host's log level (ABI 0.2.0 cannot ask
/// it), which was the largest single cost of the filters in the sidecar; filters/shared/streams.ts
/// replaces them. The harness records every level (Trace), so a line built anywhere in the
/// stream's life shows up here, and this test fails the day it comes back.
/// </summary>
public class StreamLifeLogTests
{
    [Fact]
    public void A_tenancy_request_logs_no_debug_lines()
    {
        using var filter = TestFilters.Tenancy();
        var before = filter.Logs.Count;

        for (var i = 0; i < 3; i++)
        {
            var exchange = filter.Request("GET", "/api/images", "acme.localhost");
            exchange.SendResponseHeaders(200);
            exchange.Complete();
        }
        filter.Request("GET", "/", "unknown.localhost").Complete();

        Assert.Equal(0, filter.Info.Failures);
        Assert.Equal(4, filter.Info.Streams);
        Assert.Equal(0, filter.Info.ActiveStreams);
        Assert.Empty(DebugLinesSince(filter, before));
    }

    [Fact]
    public void A_rate_limited_request_with_its_quota_callout_logs_no_debug_lines()
    {
        using var filter = TestFilters.RateLimit();
        var before = filter.Logs.Count;

        var uncounted = filter.Request("GET", "/healthz", "acme.localhost");
        uncounted.SendResponseHeaders(200);
        uncounted.Complete();
        var pull = filter.Pull(filter.Now());
        Assert.Single(filter.PendingCallouts).Respond(200, TestFilters.Allowed);
        pull.SendResponseHeaders(200);
        pull.Complete();

        Assert.Equal("9", pull.ResponseHeaders["x-ratelimit-remaining"]);
        Assert.Equal(0, filter.Info.Failures);
        Assert.Empty(DebugLinesSince(filter, before));
    }

    [Fact]
    public void The_debug_lines_a_filter_writes_itself_still_arrive()
    {
        // Guards the test above: a debug line the filter means to write (a refused token) is
        // recorded, so an empty list there is not the harness dropping debug lines.
        using var filter = TestFilters.RateLimit();
        var before = filter.Logs.Count;

        filter.Pull("not-a-token").Complete();

        Assert.Contains(DebugLinesSince(filter, before), line => line.StartsWith("rate-limit: token refused", StringComparison.Ordinal));
    }

    private static List<string> DebugLinesSince(FilterHarness filter, int start) =>
        filter.Logs.Skip(start).Where(l => l.Level <= ProxyLogLevel.Debug).Select(l => l.Message).ToList();
}
