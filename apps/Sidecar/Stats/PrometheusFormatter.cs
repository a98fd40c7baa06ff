using System.Text;

namespace ImageHub.Sidecar.Stats;

/// <summary>
/// Envoy's /stats/prometheus text format: names prefixed <c>envoy_</c>, and the cluster name or
/// HTTP stat prefix moved into a label, so <c>cluster.imagehub.upstream_rq_total</c> becomes
/// <c>envoy_cluster_upstream_rq_total{envoy_cluster_name="imagehub"}</c>.
/// </summary>
public static class PrometheusFormatter
{
    public static string Format(IEnumerable<StatValue> stats)
    {
        var groups = stats.Select(ToSample).GroupBy(s => s.Metric).OrderBy(g => g.Key, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var group in groups)
        {
            text.Append("# TYPE ").Append(group.Key).Append(' ')
                .Append(group.First().Kind == StatKind.Counter ? "counter" : "gauge").Append('\n');
            foreach (var sample in group)
            {
                text.Append(group.Key);
                if (sample.Label is { } label) text.Append('{').Append(label.Name).Append("=\"").Append(Escape(label.Value)).Append("\"}");
                text.Append(' ').Append(sample.Value).Append('\n');
            }
        }
        return text.ToString();
    }

    private sealed record Sample(string Metric, (string Name, string Value)? Label, StatKind Kind, long Value);

    private static Sample ToSample(StatValue stat)
    {
        foreach (var (prefix, label) in new[] { ("cluster.", "envoy_cluster_name"), ("http.", "envoy_http_conn_manager_prefix"), ("wasm_filter.", "envoy_wasm_filter") })
        {
            if (!stat.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = stat.Name[prefix.Length..];
            var dot = rest.IndexOf('.');
            if (dot <= 0) break;
            return new Sample(Sanitize("envoy_" + prefix + rest[(dot + 1)..]), (label, rest[..dot]), stat.Kind, stat.Value);
        }
        return new Sample(Sanitize("envoy_" + stat.Name), null, stat.Kind, stat.Value);
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_')) chars[i] = '_';
        return new string(chars);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
