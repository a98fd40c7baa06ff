using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Filters.ProxyWasm;
using ImageHub.Sidecar.Upstream;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Hosting;

/// <summary>Chooses the Proxy-Wasm host the sidecar runs its wasm filters on: ours, on our engine.</summary>
public static class WasmHost
{
    /// <param name="replicaChoice">
    /// which replica of a filter a request's stream is bound to: by default the one of the core it
    /// starts on, as Envoy binds a stream to its worker's VM; round robin makes it predictable.
    /// </param>
    public static Func<ClusterManager, IWasmFilterLoader> LoaderFactory(ILoggerFactory loggerFactory, LogLevel logLevel,
        ImageHub.ProxyWasm.ReplicaChoice replicaChoice = ImageHub.ProxyWasm.ReplicaChoice.ByProcessor) =>
        clusters => new ProxyWasmFilterLoader(clusters, loggerFactory, logLevel, replicaChoice);
}
