using ImageHub.Sidecar.Bootstrap;

namespace ImageHub.Sidecar.Filters;

/// <summary>
/// The fields of Envoy's wasm filter config that the admin API accepts for a filter it adds or
/// replaces: <c>root_id</c>, <c>vm_id</c>, <c>configuration</c> (the plugin configuration string)
/// and <c>fail_open</c>. A field left out keeps Envoy's default for a new filter, and the running
/// value for a replaced one.
/// </summary>
public sealed record WasmFilterSettings(string? RootId = null, string? VmId = null, string? Configuration = null, bool? FailOpen = null)
{
    /// <summary>What every envoy.filters.http.wasm entry of the bootstrap names its runtime; our engine runs any.</summary>
    public const string Runtime = "envoy.wasm.runtime.v8";

    public bool IsEmpty => RootId is null && VmId is null && Configuration is null && FailOpen is null;

    public WasmFilterConfig NewFilter(string name, string source) =>
        new("envoy.filters.http.wasm", name, RootId ?? "", Configuration ?? "", VmId ?? "", Runtime, source, FailOpen ?? false);

    public WasmFilterConfig ApplyTo(WasmFilterConfig running, string source) => running with
    {
        RootId = RootId ?? running.RootId,
        VmId = VmId ?? running.VmId,
        Configuration = Configuration ?? running.Configuration,
        FailOpen = FailOpen ?? running.FailOpen,
        CodePath = source,
    };
}
