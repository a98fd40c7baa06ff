using System.Text.Json.Nodes;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Hosting;
using ImageHub.Sidecar.Proxy;

namespace ImageHub.Sidecar.Admin;

/// <summary>
/// The listeners whose filter chain was changed through the admin API, in Envoy's
/// <c>ListenersConfigDump</c> form (<c>dynamic_listeners[].active_state.listener</c>): the
/// bootstrap's listener with the chain that runs now. Filters that are not in the bootstrap file
/// carry <c>"added_at_runtime": true</c> next to their name, so nobody mistakes them for the file's.
/// </summary>
public static class RuntimeChainDump
{
    public const string Type = "type.googleapis.com/envoy.admin.v3.ListenersConfigDump";

    /// <summary>Null while every chain is the bootstrap's.</summary>
    public static JsonObject? Render(SidecarHost sidecar)
    {
        var changed = sidecar.Listeners.Where(l => l.Filters.Any(s => s.AddedAtRuntime)).ToList();
        if (changed.Count == 0) return null;
        var version = $"admin-{sidecar.Chains.Revision}";
        var updated = (sidecar.Chains.LastEdited ?? sidecar.StartedAt).ToString("O");
        var dynamic = new JsonArray();
        foreach (var listener in changed)
        {
            dynamic.Add(new JsonObject
            {
                ["name"] = listener.Name,
                ["active_state"] = new JsonObject
                {
                    ["version_info"] = version,
                    ["listener"] = Listener(sidecar.Bootstrap.Document, listener),
                    ["last_updated"] = updated,
                },
            });
        }
        return new JsonObject { ["@type"] = Type, ["version_info"] = version, ["dynamic_listeners"] = dynamic };
    }

    private static JsonObject Listener(JsonObject bootstrap, ListenerRuntime listener)
    {
        var declared = bootstrap["static_resources"]?["listeners"]?.AsArray()
            .OfType<JsonObject>().FirstOrDefault(l => l["name"]?.GetValue<string>() == listener.Name);
        var copy = (JsonObject)(declared?.DeepClone() ?? new JsonObject { ["name"] = listener.Name });
        if (copy["filter_chains"]?[0]?["filters"]?[0]?["typed_config"] is not JsonObject manager) return copy;
        var original = manager["http_filters"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        var filters = new JsonArray();
        foreach (var slot in listener.Filters)
        {
            var entry = slot.AddedAtRuntime ? null : original.FirstOrDefault(f => PluginName(f) == slot.Name);
            filters.Add(entry?.DeepClone() ?? Added(slot));
        }
        // The router (and any other non-wasm entry) stays where the file put it: after the wasm filters.
        foreach (var other in original.Where(f => PluginName(f) is null)) filters.Add(other.DeepClone());
        manager["http_filters"] = filters;
        return copy;
    }

    private static string? PluginName(JsonObject filter) =>
        filter["name"]?.GetValue<string>() == "envoy.filters.http.wasm" ? filter["typed_config"]?["config"]?["name"]?.GetValue<string>() : null;

    private static JsonObject Added(FilterSlot slot)
    {
        var config = slot.Config;
        return new JsonObject
        {
            ["name"] = "envoy.filters.http.wasm",
            ["added_at_runtime"] = true,
            ["typed_config"] = new JsonObject
            {
                ["@type"] = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
                ["config"] = new JsonObject
                {
                    ["name"] = config.PluginName,
                    ["root_id"] = config.RootId,
                    ["configuration"] = new JsonObject
                    {
                        ["@type"] = "type.googleapis.com/google.protobuf.StringValue",
                        ["value"] = config.Configuration,
                    },
                    ["fail_open"] = config.FailOpen,
                    ["vm_config"] = new JsonObject
                    {
                        ["vm_id"] = config.VmId,
                        ["runtime"] = config.Runtime,
                        // An uploaded module has no file; its source and hash say what runs.
                        ["code"] = new JsonObject { ["local"] = new JsonObject { ["filename"] = slot.Current?.SourcePath ?? config.CodePath } },
                    },
                },
            },
        };
    }
}
