using ImageHub.ProxyWasm.Hosting;

namespace ImageHub.ProxyWasm;

/// <summary>
/// A plugin by name, stable across hot swaps: open a stream per HTTP request with
/// <see cref="OpenStream"/>; <see cref="Info"/> describes the version new streams get.
/// </summary>
public sealed class PluginHandle : IDisposable
{
    private LoadedPlugin _current;

    internal PluginHandle(LoadedPlugin current) => _current = current;

    public string Name => _current.Options.Name;

    public PluginInfo Info => Volatile.Read(ref _current).Info();

    /// <summary>The version new streams get.</summary>
    internal LoadedPlugin Current => Volatile.Read(ref _current);

    /// <summary>
    /// Binds a new HTTP stream to one replica of the current version for its whole life.
    /// Never throws for a broken filter: a stream whose replica cannot be built answers by
    /// the plugin's failure policy (503, or pass-through when fail_open).
    /// </summary>
    public FilterStream OpenStream(StreamInfo? info = null)
    {
        var plugin = Volatile.Read(ref _current);
        try
        {
            // A version retired (hot swap) between reading it and binding answers null: ask the new one.
            for (var attempt = 0; attempt < 4; attempt++, plugin = Volatile.Read(ref _current))
                if (plugin.OpenStream(info ?? StreamInfo.Empty) is { } stream) return new FilterStream(plugin, stream);
        }
        catch (PluginLoadException)
        {
        }
        plugin.CountUnavailableStream();
        return FilterStream.Unavailable(plugin);
    }

    internal void Swap(LoadedPlugin next)
    {
        var previous = Interlocked.Exchange(ref _current, next);
        previous.Retire();
    }

    public void Dispose() => Volatile.Read(ref _current).Retire();
}
