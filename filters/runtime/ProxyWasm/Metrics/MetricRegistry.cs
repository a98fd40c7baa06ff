using System.Globalization;
using System.Text;
using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Metrics;

/// <summary>
/// Every metric of every plugin in a host, keyed by plugin name and metric name, so that
/// they survive a replica being rebuilt and a plugin being hot-swapped. Enumerable for an
/// admin <c>/stats</c> endpoint and exportable in the Prometheus text format.
/// </summary>
public sealed class MetricRegistry
{
    private readonly Dictionary<(string Plugin, string Name), Metric> _metrics = new();
    private readonly Lock _gate = new();

    /// <summary>The metric with this name, created on first use; null when it exists with another type.</summary>
    public Metric? Define(string plugin, string name, MetricType type)
    {
        lock (_gate)
        {
            if (_metrics.TryGetValue((plugin, name), out var existing))
                return existing.Type == type ? existing : null;
            var metric = new Metric(plugin, name, type);
            _metrics[(plugin, name)] = metric;
            return metric;
        }
    }

    /// <summary>Forgets every metric of a plugin (it was unloaded); replicas still holding one only count into the void.</summary>
    public int RemovePlugin(string plugin)
    {
        lock (_gate)
        {
            var gone = _metrics.Keys.Where(key => key.Plugin == plugin).ToList();
            foreach (var key in gone) _metrics.Remove(key);
            return gone.Count;
        }
    }

    public Metric? Find(string plugin, string name)
    {
        lock (_gate) return _metrics.GetValueOrDefault((plugin, name));
    }

    public IReadOnlyList<MetricSnapshot> Snapshot(string? plugin = null)
    {
        lock (_gate)
            return _metrics.Values
                .Where(m => plugin is null || m.Plugin == plugin)
                .OrderBy(m => m.Plugin, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal)
                .Select(m => m.Snapshot()).ToList();
    }

    /// <summary>
    /// The Prometheus text exposition of every metric, named as Envoy exports a filter's
    /// custom stats (<c>envoy_wasmcustom_&lt;name&gt;</c>, dots become underscores), with the plugin as a label.
    /// </summary>
    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        foreach (var group in Snapshot().GroupBy(m => (m.Name, m.Type)))
        {
            var name = "envoy_wasmcustom_" + Sanitize(group.Key.Name);
            var type = group.Key.Type switch { MetricType.Counter => "counter", MetricType.Gauge => "gauge", _ => "histogram" };
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var metric in group)
            {
                var label = $"plugin=\"{Escape(metric.Plugin)}\"";
                if (metric.Type != MetricType.Histogram)
                {
                    text.Append(name).Append('{').Append(label).Append("} ").Append(metric.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    continue;
                }
                foreach (var (bound, count) in metric.Buckets)
                    text.Append(name).Append("_bucket{").Append(label).Append(",le=\"").Append(bound.ToString(CultureInfo.InvariantCulture)).Append("\"} ").Append(count).Append('\n');
                text.Append(name).Append("_bucket{").Append(label).Append(",le=\"+Inf\"} ").Append(metric.Value).Append('\n');
                text.Append(name).Append("_sum{").Append(label).Append("} ").Append(metric.Sum.ToString(CultureInfo.InvariantCulture)).Append('\n');
                text.Append(name).Append("_count{").Append(label).Append("} ").Append(metric.Value).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        return new string(chars);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
