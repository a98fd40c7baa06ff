using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>Shared data with CAS across streams and replicas, and the three metric types.</summary>
public class SharedDataAndMetricsTests
{
    [Fact]
    public void Shared_data_counts_across_requests_with_compare_and_swap()
    {
        using var filter = ConformanceFilters.Load("shared");
        var first = filter.Request("GET", "/");
        Assert.Equal("1", first.RequestHeaders["x-first-read"]);
        Assert.Equal("0", first.RequestHeaders["x-write"]);
        Assert.Equal("1", first.RequestHeaders["x-hits"]);

        var second = filter.Request("GET", "/");
        Assert.Equal("0", second.RequestHeaders["x-first-read"]);
        Assert.Equal("2", second.RequestHeaders["x-hits"]);
        Assert.Equal("8", second.RequestHeaders["x-stale-write"]);
        Assert.Equal("yes", second.RequestHeaders["x-cas-changed"]);
    }

    [Fact]
    public void Shared_data_is_host_wide_so_every_replica_sees_it()
    {
        using var filter = ConformanceFilters.Load("shared", options: new HarnessOptions { Replicas = 2 });
        Assert.Equal("1", filter.Request("GET", "/").RequestHeaders["x-hits"]);
        Assert.Equal("2", filter.Request("GET", "/").RequestHeaders["x-hits"]);
        Assert.Equal("3", filter.Request("GET", "/").RequestHeaders["x-hits"]);
        Assert.Equal(["hits"], filter.Host.SharedData.Keys(""));
    }

    [Fact]
    public void Counters_gauges_and_histograms_move_and_are_enumerable()
    {
        using var filter = ConformanceFilters.Load("metrics");
        var first = filter.Request("GET", "/a");
        var second = filter.Request("GET", "/abcd");
        Assert.Equal("1", first.RequestHeaders["x-requests"]);
        Assert.Equal("2", second.RequestHeaders["x-requests"]);
        Assert.Equal("0,1,2", first.RequestHeaders["x-ids"]);
        Assert.Equal(2, filter.Metric("conformance.active"));

        first.Complete();
        Assert.Equal(1, filter.Metric("conformance.active"));
        Assert.Equal(2, filter.Metric("conformance.requests"));
        Assert.Equal(2, filter.Metric("conformance.path_length"));
        var histogram = filter.Metrics.Single(m => m.Name == "conformance.path_length");
        Assert.Equal(7, histogram.Sum);
        Assert.Contains("envoy_wasmcustom_conformance_requests{plugin=\"metrics\"} 2", filter.Host.Metrics.ToPrometheusText());
    }

    [Fact]
    public void Metric_misuse_answers_envoys_statuses()
    {
        using var filter = ConformanceFilters.Load("metrics");
        var exchange = filter.Request("GET", "/");
        Assert.Equal("2", exchange.RequestHeaders["x-negative-counter"]);
        Assert.Equal("2", exchange.RequestHeaders["x-histogram-read"]);
        Assert.Equal("1", exchange.RequestHeaders["x-unknown-metric"]);
        Assert.Equal("2", exchange.RequestHeaders["x-bad-type"]);
    }
}
