using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Hosting;
using ImageHub.ProxyWasm.Metrics;
using ImageHub.ProxyWasm.Shared;
using ImageHub.Wasm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageHub.ProxyWasm;

/// <summary>A line a filter logged (through <c>proxy_log</c> or WASI stdout/stderr).</summary>
public sealed record GuestLogEntry(string Plugin, ProxyLogLevel Level, string Message);

/// <summary>What a host shares between its plugins, and where it reaches the outside world.</summary>
public sealed record ProxyWasmHostOptions
{
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Where <c>proxy_http_call</c> goes; by default there are no clusters.</summary>
    public IHttpCalloutDispatcher Callouts { get; init; } = NoClusters.Instance;

    /// <summary>Current time, tick timers and callout timeouts.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Runs work that must not run inside a filter callback (queue-ready notifications,
    /// callout answers that arrive while the filter is still calling); the thread pool by default.
    /// </summary>
    public Action<Action>? Scheduler { get; init; }

    /// <summary>
    /// What <c>proxy_get_log_level</c> answers; guest log lines below it are dropped before they
    /// are decoded, as Envoy's log level does.
    /// </summary>
    public ProxyLogLevel LogLevel { get; init; } = ProxyLogLevel.Info;

    /// <summary>Sees every guest log line (the test harness records them).</summary>
    public Action<GuestLogEntry>? GuestLogObserver { get; init; }
}

/// <summary>
/// The Proxy-Wasm host: loads plugins onto a WebAssembly engine and keeps what Envoy keeps
/// process-wide — shared data, shared queues, metrics. One per process (or per test).
/// </summary>
public sealed class ProxyWasmHost : IDisposable
{
    private readonly Dictionary<string, PluginHandle> _plugins = new(StringComparer.Ordinal);
    private readonly List<LoadedPlugin> _versions = [];   // every version that may still have replicas
    private readonly Dictionary<string, int> _loading = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ProxyWasmHostOptions _options;

    public ProxyWasmHost(IWasmEngine engine, ProxyWasmHostOptions? options = null)
    {
        Engine = engine;
        _options = options ?? new ProxyWasmHostOptions();
    }

    public IWasmEngine Engine { get; }
    public SharedDataStore SharedData { get; } = new();
    public SharedQueueRegistry SharedQueues { get; } = new();
    public MetricRegistry Metrics { get; } = new();
    public ILoggerFactory LoggerFactory => _options.LoggerFactory;
    public IHttpCalloutDispatcher Callouts => _options.Callouts;
    public TimeProvider Clock => _options.Clock;
    public ProxyLogLevel LogLevel => _options.LogLevel;
    internal Action<GuestLogEntry>? GuestLogObserver => _options.GuestLogObserver;

    /// <summary>
    /// Compiles, links and starts a plugin (every replica runs <c>proxy_on_vm_start</c> and
    /// <c>proxy_on_configure</c>). Loading a name that is already loaded swaps it atomically:
    /// new streams get the new version, streams in flight finish on the old one.
    /// Throws <see cref="PluginLoadException"/> with the reason; the old version then stays.
    /// </summary>
    public PluginHandle LoadPlugin(PluginOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Name);
        // Counted while compiling, so that an unloaded version of this name ending meanwhile
        // does not drop the metrics this load is defining.
        lock (_gate) _loading[options.Name] = _loading.GetValueOrDefault(options.Name) + 1;
        LoadedPlugin? previous = null;
        try
        {
            var loaded = PluginLoader.Load(this, options);
            lock (_gate)
            {
                _versions.Add(loaded);
                if (_plugins.TryGetValue(options.Name, out var existing))
                {
                    previous = existing.Swap(loaded);
                    return existing;
                }
                var handle = new PluginHandle(this, loaded);
                _plugins[options.Name] = handle;
                return handle;
            }
        }
        finally
        {
            lock (_gate)
            {
                if (--_loading[options.Name] == 0) _loading.Remove(options.Name);
                DropMetricsIfGone(options.Name);
            }
            // Outside the gate: retiring runs the old roots' proxy_on_done when they have no streams.
            previous?.Retire();
        }
    }

    /// <summary>
    /// Unloads the plugin with this name: it leaves <see cref="Plugins"/> at once and new streams
    /// cannot open on it; streams in flight finish on it. Each replica then ends as in a hot swap
    /// (root <c>proxy_on_done</c>, then <c>proxy_on_delete</c>, or later after <c>proxy_done</c>),
    /// and once the last is gone the compiled module is released and the plugin's metrics leave
    /// <see cref="Metrics"/>. False when no plugin has that name.
    /// </summary>
    public bool UnloadPlugin(string name) => Find(name) is { } handle && UnloadPlugin(handle);

    /// <summary>
    /// Unloads <paramref name="handle"/> (see <see cref="UnloadPlugin(string)"/>). With
    /// <paramref name="version"/>, only if the handle still runs that <see cref="PluginHandle.Version"/>:
    /// an embedder that keeps one object per loaded version (the sidecar does) unloads only when no
    /// newer load of the name took over. False when nothing was unloaded.
    /// </summary>
    public bool UnloadPlugin(PluginHandle handle, long? version = null)
    {
        LoadedPlugin current;
        lock (_gate)
        {
            if (!_plugins.TryGetValue(handle.Name, out var registered) || !ReferenceEquals(registered, handle)) return false;
            if (version is { } expected && handle.Version != expected) return false;
            _plugins.Remove(handle.Name);
            current = handle.MarkUnloaded();
        }
        LoggerFactory.CreateLogger<ProxyWasmHost>().LogInformation(
            "wasm filter '{Plugin}': unloaded; {Streams} stream(s) in flight finish on it", handle.Name, current.Info().ActiveStreams);
        current.Retire();
        return true;
    }

    public PluginHandle? Find(string name)
    {
        lock (_gate) return _plugins.GetValueOrDefault(name);
    }

    public IReadOnlyList<PluginHandle> Plugins
    {
        get { lock (_gate) return _plugins.Values.ToList(); }
    }

    internal void Post(Action work)
    {
        if (_options.Scheduler is { } scheduler) scheduler(work);
        else ThreadPool.UnsafeQueueUserWorkItem(static w => w(), work, preferLocal: false);
    }

    /// <summary>
    /// A version is retired and its last replica is gone: forget it (its compiled module can be
    /// collected), and drop the plugin's metrics when no version of that name is left.
    /// Called by the version without any replica's lock held.
    /// </summary>
    internal void VersionFinished(LoadedPlugin version)
    {
        lock (_gate)
        {
            _versions.Remove(version);
            DropMetricsIfGone(version.Options.Name);
        }
    }

    /// <summary>
    /// Under the gate. Metrics belong to the name and survive hot swaps; they go when nothing
    /// of that name is loaded, loading or still finishing streams, so an unloaded filter leaves
    /// <c>/stats</c> and a later load of the name starts from zero.
    /// </summary>
    private void DropMetricsIfGone(string name)
    {
        if (_plugins.ContainsKey(name) || _loading.ContainsKey(name)) return;
        foreach (var version in _versions)
            if (version.Options.Name == name) return;
        Metrics.RemovePlugin(name);
    }

    /// <summary>
    /// Unloads every plugin: root contexts get their <c>proxy_on_done</c>, then every replica
    /// is discarded, also those still finishing streams or waiting for <c>proxy_done</c>.
    /// </summary>
    public void Dispose()
    {
        List<LoadedPlugin> current, versions;
        lock (_gate)
        {
            current = _plugins.Values.Select(plugin => plugin.MarkUnloaded()).ToList();
            _plugins.Clear();
            versions = _versions.ToList();
        }
        // Outside the gate: ending a version calls back into VersionFinished.
        foreach (var version in current) version.Retire();
        foreach (var version in versions) version.Dispose();
        lock (_gate) _versions.Clear();
    }
}
