using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Metrics;

/// <summary>
/// The metric ids one replica handed out. Ids carry the type in their two low bits and
/// count up in steps of 4 per type, like Envoy's, so a filter sees the same ids here.
/// </summary>
internal sealed class ReplicaMetricTable(MetricRegistry registry, string plugin)
{
    private const uint TypeMask = 0x3;
    private readonly Dictionary<uint, Metric> _byId = new();
    private readonly Dictionary<string, uint> _idByName = new();
    private readonly uint[] _next = [0, 1, 2];

    public WasmResult Define(uint type, string name, out uint id)
    {
        id = 0;
        if (type > (uint)MetricType.Histogram) return WasmResult.BadArgument;
        var key = type + ":" + name;
        if (_idByName.TryGetValue(key, out id)) return WasmResult.Ok;
        var metric = registry.Define(plugin, name, (MetricType)type);
        if (metric is null) return WasmResult.BadArgument;
        id = _next[type];
        _next[type] += TypeMask + 1;
        _byId[id] = metric;
        _idByName[key] = id;
        return WasmResult.Ok;
    }

    public WasmResult Increment(uint id, long offset)
    {
        var type = (MetricType)(id & TypeMask);
        if (type == MetricType.Histogram) return WasmResult.BadArgument;
        if (!_byId.TryGetValue(id, out var metric)) return WasmResult.NotFound;
        if (type == MetricType.Counter && offset <= 0) return WasmResult.BadArgument;
        metric.Add(offset);
        return WasmResult.Ok;
    }

    public WasmResult Record(uint id, ulong value)
    {
        if (!_byId.TryGetValue(id, out var metric)) return WasmResult.NotFound;
        switch (metric.Type)
        {
            case MetricType.Counter: metric.Add((long)value); break;
            case MetricType.Gauge: metric.Set((long)value); break;
            default: metric.Record(value); break;
        }
        return WasmResult.Ok;
    }

    public WasmResult Get(uint id, out ulong value)
    {
        value = 0;
        var type = (MetricType)(id & TypeMask);
        if (type == MetricType.Histogram) return WasmResult.BadArgument;
        if (!_byId.TryGetValue(id, out var metric)) return WasmResult.NotFound;
        value = (ulong)metric.Value;
        return WasmResult.Ok;
    }
}
