using ImageHub.Sidecar.Bootstrap;

namespace ImageHub.Sidecar.Filters;

/// <summary>
/// A place in the filter chain, named after the plugin (<c>config.name</c>). The code in it can
/// be swapped or removed while the proxy runs; its position and configuration come from the bootstrap.
/// </summary>
public sealed class FilterSlot(WasmFilterConfig config)
{
    private FilterVersion? _current;

    public string Name => Config.PluginName;
    public WasmFilterConfig Config { get; } = config;
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
        var old = Interlocked.Exchange(ref _current, version);
        old?.Retire();
    }
}
