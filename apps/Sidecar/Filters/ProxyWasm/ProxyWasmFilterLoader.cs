using ImageHub.ProxyWasm;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Stats;
using ImageHub.Sidecar.Upstream;
using ImageHub.Wasm;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Filters.ProxyWasm;

/// <summary>
/// Loads envoy.filters.http.wasm entries onto our Proxy-Wasm host and WebAssembly engine.
/// One host per sidecar: shared data, queues and metrics are process-wide, as in Envoy.
/// </summary>
public sealed class ProxyWasmFilterLoader : IWasmFilterLoader, IStatsSource, IPrometheusSource, IDisposable
{
    private readonly ReplicaChoice _replicaChoice;

    public ProxyWasmFilterLoader(ClusterManager clusters, ILoggerFactory loggerFactory, LogLevel logLevel, ReplicaChoice replicaChoice = ReplicaChoice.ByProcessor)
    {
        _replicaChoice = replicaChoice;
        Host = new ProxyWasmHost(new WasmEngine(), new ProxyWasmHostOptions
        {
            LoggerFactory = loggerFactory,
            Callouts = new ClusterCalloutDispatcher(clusters),
            LogLevel = ToProxyLogLevel(logLevel),
        });
    }

    public ProxyWasmHost Host { get; }

    /// <summary>
    /// How long one callback into a filter may run before it traps. Envoy has no such limit; we
    /// keep one against runaway loops, but generous: the engine compiles each function on its
    /// first call, so the first requests after a (re)load also pay for compilation, and on a
    /// busy machine that alone can take more than the host's default second.
    /// </summary>
    public static readonly TimeSpan CallbackDeadline = TimeSpan.FromSeconds(10);

    public LoadedWasm Load(WasmFilterConfig config, ReadOnlyMemory<byte> code, int replicas)
    {
        PluginHandle handle;
        try
        {
            handle = Host.LoadPlugin(new PluginOptions
            {
                Name = config.PluginName,
                Module = code,
                RootId = config.RootId,
                VmId = config.VmId,
                Configuration = config.Configuration,
                FailOpen = config.FailOpen,
                Replicas = replicas,
                ReplicaChoice = _replicaChoice,
                DeadlinePerCallback = CallbackDeadline,
            });
        }
        catch (PluginLoadException e)
        {
            throw new FilterLoadException($"filter {config.PluginName}: {e.Message}", e);
        }
        return new LoadedWasm(new WasmHttpFilter(handle, handle.Version), handle.Info.AbiVersion);
    }

    /// <summary>The filters' own metrics (proxy_define_metric), named as Envoy names them: <c>wasmcustom.NAME</c>.</summary>
    public IEnumerable<StatValue> CollectStats() =>
        Host.Metrics.Snapshot().Select(m => new StatValue(
            $"wasmcustom.{m.Name}",
            m.Type == ImageHub.ProxyWasm.Abi.MetricType.Gauge ? StatKind.Gauge : StatKind.Counter,
            m.Value));

    public string PrometheusText() => Host.Metrics.ToPrometheusText();

    public void Dispose() => Host.Dispose();

    private static ImageHub.ProxyWasm.Abi.ProxyLogLevel ToProxyLogLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => ImageHub.ProxyWasm.Abi.ProxyLogLevel.Trace,
        LogLevel.Debug => ImageHub.ProxyWasm.Abi.ProxyLogLevel.Debug,
        LogLevel.Information => ImageHub.ProxyWasm.Abi.ProxyLogLevel.Info,
        LogLevel.Warning => ImageHub.ProxyWasm.Abi.ProxyLogLevel.Warn,
        LogLevel.Error => ImageHub.ProxyWasm.Abi.ProxyLogLevel.Error,
        _ => ImageHub.ProxyWasm.Abi.ProxyLogLevel.Critical,
    };
}
