using ImageHub.Sidecar.Bootstrap;

namespace ImageHub.Sidecar.Filters;

/// <summary>
/// Turns .wasm bytes into a runnable filter: validates the module, checks its imports and ABI
/// version, runs its start-up and on_configure. Anything wrong throws <see cref="FilterLoadException"/>
/// before the filter is used, so a bad file never replaces a good one.
/// </summary>
public interface IWasmFilterLoader
{
    LoadedWasm Load(WasmFilterConfig config, ReadOnlyMemory<byte> code, int replicas);
}

public sealed record LoadedWasm(IHttpFilter Filter, string AbiVersion);

public sealed class FilterLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Used when no Proxy-Wasm host is built in: any wasm filter is a start-up error saying so.</summary>
public sealed class NoWasmHostLoader : IWasmFilterLoader
{
    public LoadedWasm Load(WasmFilterConfig config, ReadOnlyMemory<byte> code, int replicas) =>
        throw new FilterLoadException($"filter {config.PluginName}: this sidecar build has no Proxy-Wasm host, so envoy.filters.http.wasm cannot run");
}
