using ImageHub.Sidecar.Bootstrap;

namespace ImageHub.Sidecar.Filters;

/// <summary>
/// A place in the filter chain, named after the plugin (<c>config.name</c>). The code in it can
/// be swapped or removed while the proxy runs. A slot comes from the bootstrap, or was added
/// through the admin API (<see cref="AddedAtRuntime"/>), which may also give it new configuration.
/// </summary>
public sealed class FilterSlot(WasmFilterConfig config, bool addedAtRuntime = false)
{
    private FilterVersion? _current;
    private WasmFilterConfig _config = config;

    public string Name => Config.PluginName;

    /// <summary>
    /// The configuration of the current version (the declared one while nothing is loaded). A
    /// request that fails while a new configuration is swapped in may see the new fail_open.
    /// </summary>
    public WasmFilterConfig Config => Volatile.Read(ref _config);

    /// <summary>Not in the bootstrap file: added through <c>POST /filters/{name}</c>.</summary>
    public bool AddedAtRuntime { get; } = addedAtRuntime;

    public FilterVersion? Current => Volatile.Read(ref _current);

    /// <summary>The version a new request runs on, leased until the caller releases it; null when unloaded.</summary>
    public FilterVersion? Lease()
    {
        while (true)
        {
            var version = Volatile.Read(ref _current);
            if (version is null) return null;
            if (version.TryLease()) return version;
        }
    }

    /// <summary>Puts <paramref name="version"/> in place for new requests; requests in flight finish on the old one.</summary>
    public void Swap(FilterVersion? version)
    {
        if (version is not null) Volatile.Write(ref _config, version.Config);
        var old = Interlocked.Exchange(ref _current, version);
        old?.Retire();
    }
}
