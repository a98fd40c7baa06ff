using System.Collections.Concurrent;

namespace ImageHub.Sidecar.Stats;

/// <summary>
/// A named counter; increments are lock-free because every request touches several. Each core
/// counts in a cell of its own cache lines (as Envoy's stats are per worker thread): a single
/// field that every request on every core wrote would move between the cores' caches on each one.
/// </summary>
public sealed class Counter
{
    // 128 bytes a cell, the value in the middle: no neighbour on its line, nor on the line the
    // hardware prefetches with it.
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
    private struct Cell
    {
        [System.Runtime.InteropServices.FieldOffset(64)] public long Value;
    }

    // A power of two at least the number of cores, so a core picks its cell with a mask.
    private static readonly int Cells = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount);

    private readonly Cell[] _cells = new Cell[Cells];

    public long Value
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _cells.Length; i++) sum += Interlocked.Read(ref _cells[i].Value);
            return sum;
        }
    }

    public void Increment(long by = 1) => Interlocked.Add(ref _cells[Thread.GetCurrentProcessorId() & (Cells - 1)].Value, by);
}

/// <summary>A value that goes up and down (active requests, loaded filters).</summary>
public sealed class Gauge
{
    private long _value;
    public long Value => Interlocked.Read(ref _value);
    public void Add(long by) => Interlocked.Add(ref _value, by);
    public void Set(long value) => Interlocked.Exchange(ref _value, value);
}

public enum StatKind { Counter, Gauge }

public sealed record StatValue(string Name, StatKind Kind, long Value);

/// <summary>Something outside the store that owns stats of its own, e.g. the filters' metrics.</summary>
public interface IStatsSource
{
    IEnumerable<StatValue> CollectStats();
}

/// <summary>Something that renders its own Prometheus text (the wasm host labels metrics by plugin).</summary>
public interface IPrometheusSource
{
    string PrometheusText();
}

/// <summary>The sidecar's stats, named the Envoy way (<c>cluster.imagehub.upstream_rq_total</c>).</summary>
public sealed class StatsStore
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new();
    private readonly ConcurrentDictionary<string, Gauge> _gauges = new();
    private readonly List<IStatsSource> _sources = [];

    public Counter Counter(string name) => _counters.GetOrAdd(name, _ => new Counter());
    public Gauge Gauge(string name) => _gauges.GetOrAdd(name, _ => new Gauge());

    private readonly List<IPrometheusSource> _prometheusSources = [];

    public void AddSource(IStatsSource source)
    {
        lock (_sources) _sources.Add(source);
    }

    public void AddPrometheusSource(IPrometheusSource source)
    {
        lock (_prometheusSources) _prometheusSources.Add(source);
    }

    /// <summary>All stats in Prometheus text; stats a Prometheus source renders itself are left to it.</summary>
    public string PrometheusText()
    {
        IPrometheusSource[] sources;
        lock (_prometheusSources) sources = [.. _prometheusSources];
        var own = Snapshot().Where(s => !(sources.Length > 0 && s.Name.StartsWith("wasmcustom.", StringComparison.Ordinal)));
        return PrometheusFormatter.Format(own) + string.Concat(sources.Select(s => s.PrometheusText()));
    }

    /// <summary>Every stat, sorted by name, as Envoy's /stats prints them.</summary>
    public IReadOnlyList<StatValue> Snapshot()
    {
        var all = new List<StatValue>();
        all.AddRange(_counters.Select(c => new StatValue(c.Key, StatKind.Counter, c.Value.Value)));
        all.AddRange(_gauges.Select(g => new StatValue(g.Key, StatKind.Gauge, g.Value.Value)));
        IStatsSource[] sources;
        lock (_sources) sources = [.. _sources];
        foreach (var source in sources) all.AddRange(source.CollectStats());
        all.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return all;
    }
}
