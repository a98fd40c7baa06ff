using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Metrics;

/// <summary>
/// One counter, gauge or histogram a filter defined. Every replica of the plugin that
/// defines the same name shares it, as Envoy's stats scope does.
/// </summary>
public sealed class Metric(string plugin, string name, MetricType type)
{
    // Histogram buckets (upper bounds), Envoy's default supported buckets.
    public static readonly double[] HistogramBounds =
        [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    private readonly Lock _gate = new();
    private long _value;
    private long _count;
    private double _sum;
    private readonly long[] _buckets = new long[HistogramBounds.Length];

    public string Plugin { get; } = plugin;
    public string Name { get; } = name;
    public MetricType Type { get; } = type;

    /// <summary>Counter total or gauge value; for a histogram, the number of samples.</summary>
    public long Value => Type == MetricType.Histogram ? Interlocked.Read(ref _count) : Interlocked.Read(ref _value);

    public void Add(long delta) => Interlocked.Add(ref _value, delta);

    public void Set(long value) => Interlocked.Exchange(ref _value, value);

    public void Record(ulong sample)
    {
        lock (_gate)
        {
            _count++;
            _sum += sample;
            for (var i = 0; i < HistogramBounds.Length; i++)
                if (sample <= HistogramBounds[i]) _buckets[i]++;
        }
    }

    public MetricSnapshot Snapshot()
    {
        lock (_gate)
            return new MetricSnapshot(Plugin, Name, Type, Value, Type == MetricType.Histogram ? _sum : Value,
                Type == MetricType.Histogram ? HistogramBounds.Zip(_buckets, (bound, count) => (bound, count)).ToArray() : []);
    }
}

/// <summary>A metric's value at one moment; <see cref="Buckets"/> are cumulative (Prometheus style).</summary>
public sealed record MetricSnapshot(
    string Plugin,
    string Name,
    MetricType Type,
    long Value,
    double Sum,
    IReadOnlyList<(double UpperBound, long Count)> Buckets);
