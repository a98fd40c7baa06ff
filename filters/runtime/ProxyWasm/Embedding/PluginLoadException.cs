namespace ImageHub.ProxyWasm;

/// <summary>A plugin could not be loaded: bad module, unknown ABI, missing imports, or its start/configure failed.</summary>
public sealed class PluginLoadException(string plugin, string message, Exception? inner = null)
    : Exception($"plugin '{plugin}': {message}", inner)
{
    public string Plugin { get; } = plugin;
}
