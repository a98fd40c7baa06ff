using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Metrics;

namespace ImageHub.ProxyWasm.Tests.Unit;

public class MetricTests
{
    [Fact]
    public void Metric_ids_carry_the_type_in_the_low_bits_like_envoy()
    {
        var table = new ReplicaMetricTable(new MetricRegistry(), "p");
        table.Define((uint)MetricType.Counter, "c1", out var c1);
        table.Define((uint)MetricType.Counter, "c2", out var c2);
        table.Define((uint)MetricType.Gauge, "g", out var g);
        table.Define((uint)MetricType.Histogram, "h", out var h);
        Assert.Equal([0u, 4u, 1u, 2u], [c1, c2, g, h]);
    }

    [Fact]
    public void Counters_only_go_up_gauges_go_both_ways()
    {
        var table = new ReplicaMetricTable(new MetricRegistry(), "p");
        table.Define((uint)MetricType.Counter, "c", out var counter);
        table.Define((uint)MetricType.Gauge, "g", out var gauge);
        Assert.Equal(WasmResult.Ok, table.Increment(counter, 2));
        Assert.Equal(WasmResult.BadArgument, table.Increment(counter, -1));
        Assert.Equal(WasmResult.Ok, table.Increment(gauge, -3));
        table.Get(counter, out var c);
        table.Get(gauge, out var g);
        Assert.Equal(2ul, c);
        Assert.Equal(unchecked((ulong)-3L), g);
    }

    [Fact]
    public void Histograms_record_but_cannot_be_read_or_incremented_through_the_abi()
    {
        var registry = new MetricRegistry();
        var table = new ReplicaMetricTable(registry, "p");
        table.Define((uint)MetricType.Histogram, "latency", out var id);
        Assert.Equal(WasmResult.Ok, table.Record(id, 7));
        Assert.Equal(WasmResult.BadArgument, table.Get(id, out _));
        Assert.Equal(WasmResult.BadArgument, table.Increment(id, 1));
        Assert.Equal(1, registry.Find("p", "latency")!.Value);
    }

    [Fact]
    public void Unknown_ids_and_types_are_refused()
    {
        var table = new ReplicaMetricTable(new MetricRegistry(), "p");
        Assert.Equal(WasmResult.NotFound, table.Increment(8, 1));
        Assert.Equal(WasmResult.NotFound, table.Record(8, 1));
        Assert.Equal(WasmResult.BadArgument, table.Define(3, "x", out _));
    }

    [Fact]
    public void Replicas_defining_the_same_name_share_one_metric()
    {
        var registry = new MetricRegistry();
        var one = new ReplicaMetricTable(registry, "p");
        var two = new ReplicaMetricTable(registry, "p");
        one.Define(0, "requests", out var a);
        two.Define(0, "requests", out var b);
        one.Increment(a, 1);
        two.Increment(b, 2);
        Assert.Equal(3, registry.Find("p", "requests")!.Value);
    }

    [Fact]
    public void Prometheus_text_names_metrics_as_envoy_exports_custom_stats()
    {
        var registry = new MetricRegistry();
        registry.Define("rate-limit", "ratelimit.denied", MetricType.Counter)!.Add(3);
        registry.Define("rate-limit", "quota.latency_ms", MetricType.Histogram)!.Record(7);
        var text = registry.ToPrometheusText();
        Assert.Contains("# TYPE envoy_wasmcustom_ratelimit_denied counter", text);
        Assert.Contains("envoy_wasmcustom_ratelimit_denied{plugin=\"rate-limit\"} 3", text);
        Assert.Contains("envoy_wasmcustom_quota_latency_ms_bucket{plugin=\"rate-limit\",le=\"10\"} 1", text);
        Assert.Contains("envoy_wasmcustom_quota_latency_ms_bucket{plugin=\"rate-limit\",le=\"5\"} 0", text);
        Assert.Contains("envoy_wasmcustom_quota_latency_ms_count{plugin=\"rate-limit\"} 1", text);
    }
}
