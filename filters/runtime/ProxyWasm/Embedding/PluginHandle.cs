using ImageHub.ProxyWasm.Hosting;

namespace ImageHub.ProxyWasm;

/// <summary>
/// A plugin by name, stable across hot swaps: open a stream per HTTP request with
/// <see cref="OpenStream"/>; <see cref="Info"/> describes the version new streams get.
/// Ends with <see cref="ProxyWasmHost.UnloadPlugin(PluginHandle, long?)"/> (or <see cref="Dispose"/>).
/// </summary>
public sealed class PluginHandle : IDisposable
{
    private readonly ProxyWasmHost _host;
    private LoadedPlugin _current;
    private long _version = 1;
    private volatile bool _unloaded;

    internal PluginHandle(ProxyWasmHost host, LoadedPlugin current)
    {
        _host = host;
        _current = current;
    }

    public string Name => _current.Options.Name;

    /// <summary>
    /// The version new streams get (the last one, once unloaded: its counters, and its
    /// <see cref="PluginInfo.LiveReplicas"/> going to 0 as it drains).
    /// </summary>
    public PluginInfo Info => Volatile.Read(ref _current).Info();

    /// <summary>1 for the first load of the name, one more for each hot swap under this handle.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Unloaded from its host: no new streams; those in flight finish.</summary>
    public bool IsUnloaded => _unloaded;

    /// <summary>The version new streams get.</summary>
    internal LoadedPlugin Current => Volatile.Read(ref _current);

    /// <summary>
    /// Binds a new HTTP stream to one replica of the current version for its whole life.
    /// Never throws for a broken filter: a stream whose replica cannot be built answers by
    /// the plugin's failure policy (503, or pass-through when fail_open). Throws
    /// <see cref="ObjectDisposedException"/> once the plugin was unloaded.
    /// </summary>
    public FilterStream OpenStream(StreamInfo? info = null)
    {
        var plugin = Volatile.Read(ref _current);
        try
        {
            // A version retired (hot swap) between reading it and binding answers null: ask the new one.
            for (var attempt = 0; attempt < 4; attempt++, plugin = Volatile.Read(ref _current))
            {
                ThrowIfUnloaded();
                if (plugin.OpenStream(info ?? StreamInfo.Empty) is { } stream) return new FilterStream(plugin, stream);
            }
            ThrowIfUnloaded();
        }
        catch (PluginLoadException)
        {
        }
        plugin.CountUnavailableStream();
        return FilterStream.Unavailable(plugin);
    }

    /// <summary>Called under the host's gate; the caller retires the returned previous version outside it.</summary>
    internal LoadedPlugin Swap(LoadedPlugin next)
    {
        Interlocked.Increment(ref _version);
        return Interlocked.Exchange(ref _current, next);
    }

    /// <summary>Called under the host's gate; the caller retires the returned version outside it.</summary>
    internal LoadedPlugin MarkUnloaded()
    {
        _unloaded = true;
        return Volatile.Read(ref _current);
    }

    /// <summary>
    /// Unloads the plugin from its host (see <see cref="ProxyWasmHost.UnloadPlugin(PluginHandle, long?)"/>);
    /// with <paramref name="onlyVersion"/>, only if no hot swap replaced that <see cref="Version"/>.
    /// </summary>
    public bool Unload(long? onlyVersion = null) => _host.UnloadPlugin(this, onlyVersion);

    /// <summary>Unloads the plugin from its host, whatever version it runs.</summary>
    public void Dispose() => Unload();

    private void ThrowIfUnloaded()
    {
        if (_unloaded) throw new ObjectDisposedException(nameof(PluginHandle), $"plugin '{Name}' was unloaded");
    }
}
