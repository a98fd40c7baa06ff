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
        var loaded = PluginLoader.Load(this, options);
        lock (_gate)
        {
            _versions.RemoveAll(version => version.Finished);
            _versions.Add(loaded);
            if (_plugins.TryGetValue(options.Name, out var existing))
            {
                existing.Swap(loaded);
                return existing;
            }
            var handle = new PluginHandle(loaded);
            _plugins[options.Name] = handle;
            return handle;
        }
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
    /// Unloads every plugin: root contexts get their <c>proxy_on_done</c>, then every replica
    /// is discarded, also those still finishing streams or waiting for <c>proxy_done</c>.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var plugin in _plugins.Values) plugin.Dispose();
            _plugins.Clear();
            foreach (var version in _versions) version.Dispose();
            _versions.Clear();
        }
    }
}
