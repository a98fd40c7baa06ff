using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImageHub.Sidecar.Hosting;
using ImageHub.Sidecar.Stats;

namespace ImageHub.Sidecar.Admin.Apis;

/// <summary>Envoy's admin endpoints the sidecar offers, in Envoy's formats where tools read them.</summary>
public static class ServerApi
{
    public static IEndpointRouteBuilder MapServerApi(this IEndpointRouteBuilder app, SidecarHost sidecar)
    {
        app.MapGet("/", () => Results.Text("""
            ImageHub sidecar admin
              /ready               LIVE when serving
              /stats               all stats (?format=json, ?filter=<regex>)
              /stats/prometheus    stats in Prometheus text format
              /config_dump         the bootstrap in use, and chains changed since
              /clusters            clusters and endpoints (?format=json)
              /listeners           listeners and their bound addresses (?format=json)
              /filters             wasm filters: GET list, GET/POST/DELETE /filters/{name} (POST adds or replaces)

            """));

        app.MapGet("/ready", () => Results.Text("LIVE\n"));

        app.MapGet("/stats", (string? format, string? filter) =>
        {
            Regex? match;
            try { match = filter is null ? null : new Regex(filter, RegexOptions.None, TimeSpan.FromMilliseconds(100)); }
            catch (ArgumentException e) { return Results.Text($"invalid filter regex: {e.Message}\n", statusCode: 400); }
            var stats = sidecar.Stats.Snapshot().Where(s => match?.IsMatch(s.Name) ?? true).ToList();
            if (format == "json")
                return Results.Json(new { stats = stats.Select(s => new { name = s.Name, value = s.Value }) });
            var text = new StringBuilder();
            foreach (var stat in stats) text.Append(stat.Name).Append(": ").Append(stat.Value).Append('\n');
            return Results.Text(text.ToString());
        });

        app.MapGet("/stats/prometheus", () =>
            Results.Text(sidecar.Stats.PrometheusText(), "text/plain; version=0.0.4"));

        app.MapGet("/config_dump", () =>
        {
            var configs = new JsonArray(new JsonObject
            {
                ["@type"] = "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump",
                ["bootstrap"] = sidecar.Bootstrap.Document.DeepClone(),
                ["last_updated"] = sidecar.StartedAt.ToString("O"),
            });
            // Filters added through the admin API are not in the file: the changed chains follow it.
            if (RuntimeChainDump.Render(sidecar) is { } changed) configs.Add(changed);
            var dump = new JsonObject { ["configs"] = configs };
            return Results.Text(dump.ToJsonString(new() { WriteIndented = true }), "application/json");
        });

        app.MapGet("/clusters", (string? format) =>
        {
            if (format == "json")
            {
                return Results.Json(new
                {
                    cluster_statuses = sidecar.Clusters.All.Select(c => new
                    {
                        name = c.Name,
                        type = c.Config.Type.ToString(),
                        connect_timeout = Bootstrap.ProtoDuration.Format(c.Config.ConnectTimeout),
                        host_statuses = c.Config.Endpoints.Select(e => new
                        {
                            address = new { socket_address = new { address = e.Address, port_value = e.Port } },
                        }),
                        stats = new { rq_total = c.RequestsTotal.Value, rq_active = c.ActiveRequests.Value, cx_connect_fail = c.ConnectFailures.Value, rq_timeout = c.Timeouts.Value },
                    }),
                });
            }
            var text = new StringBuilder();
            foreach (var cluster in sidecar.Clusters.All)
            {
                text.Append(cluster.Name).Append("::observability_name::").Append(cluster.Name).Append('\n');
                foreach (var endpoint in cluster.Config.Endpoints)
                {
                    var prefix = $"{cluster.Name}::{endpoint}::";
                    text.Append(prefix).Append("health_flags::healthy\n");
                }
                text.Append(cluster.Name).Append("::rq_total::").Append(cluster.RequestsTotal.Value).Append('\n');
                text.Append(cluster.Name).Append("::rq_active::").Append(cluster.ActiveRequests.Value).Append('\n');
                text.Append(cluster.Name).Append("::cx_connect_fail::").Append(cluster.ConnectFailures.Value).Append('\n');
            }
            return Results.Text(text.ToString());
        });

        app.MapGet("/listeners", (string? format) =>
        {
            var listeners = sidecar.Listeners.Select(l => (l.Name, Url: sidecar.ListenerUrls.GetValueOrDefault(l.Name))).ToList();
            if (format == "json")
            {
                return Results.Json(new
                {
                    listener_statuses = listeners.Select(l => new
                    {
                        name = l.Name,
                        local_address = new { socket_address = new { address = l.Url?.Host, port_value = l.Url?.Port } },
                    }),
                });
            }
            return Results.Text(string.Concat(listeners.Select(l => $"{l.Name}::{l.Url?.Host}:{l.Url?.Port}\n")));
        });
        return app;
    }
}
