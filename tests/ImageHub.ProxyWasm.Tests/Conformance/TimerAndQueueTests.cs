using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>proxy_set_tick_period_milliseconds / proxy_on_tick, and shared queues / proxy_on_queue_ready.</summary>
public class TimerAndQueueTests
{
    [Fact]
    public void Ticks_come_once_per_period_until_the_filter_stops_them()
    {
        using var filter = ConformanceFilters.Load("timer");
        filter.AdvanceTime(TimeSpan.FromMilliseconds(2500));
        Assert.Equal(["tick 1", "tick 2"], filter.MessagesAtLeast(ProxyLogLevel.Info));
        filter.AdvanceTime(TimeSpan.FromSeconds(10));
        Assert.Equal(3, filter.Metric("conformance.ticks"));
    }

    [Fact]
    public void Every_replica_ticks_on_its_own_root_context()
    {
        using var filter = ConformanceFilters.Load("timer", options: new HarnessOptions { Replicas = 2 });
        filter.AdvanceTime(TimeSpan.FromSeconds(1));
        Assert.Equal(2, filter.Metric("conformance.ticks"));
    }

    [Fact]
    public void An_enqueued_item_reaches_the_registering_root_after_the_enqueuing_call()
    {
        using var filter = ConformanceFilters.Load("queue");
        Assert.Contains("registered status=0 token=1", filter.MessagesAtLeast(ProxyLogLevel.Info));
        var exchange = filter.Request("GET", "/event/1");
        Assert.Equal("0", exchange.RequestHeaders["x-resolve"]);
        Assert.Equal("0", exchange.RequestHeaders["x-enqueue"]);
        Assert.Equal(["registered status=0 token=1", "dequeued /event/1", "drained status=7"], filter.MessagesAtLeast(ProxyLogLevel.Info));
    }

    [Fact]
    public void Unknown_queues_and_tokens_are_not_found()
    {
        using var filter = ConformanceFilters.Load("queue");
        var exchange = filter.Request("GET", "/");
        Assert.Equal("1", exchange.RequestHeaders["x-unknown-queue"]);
        Assert.Equal("1", exchange.RequestHeaders["x-bad-token"]);
    }

    [Fact]
    public void The_host_can_feed_a_filters_queue()
    {
        using var filter = ConformanceFilters.Load("queue");
        var token = filter.Host.SharedQueues.Resolve("", "events");
        Assert.Equal(WasmResult.Ok, filter.Host.SharedQueues.Enqueue(token, "from-host"u8));
        filter.AdvanceTime(TimeSpan.Zero);
        Assert.Contains("dequeued from-host", filter.LogMessages);
    }
}
