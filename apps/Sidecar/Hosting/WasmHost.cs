using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Filters.ProxyWasm;
using ImageHub.Sidecar.Upstream;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Hosting;

/// <summary>Chooses the Proxy-Wasm host the sidecar runs its wasm filters on: ours, on our engine.</summary>
public static class WasmHost
{
    public static Func<ClusterManager, IWasmFilterLoader> LoaderFactory(ILoggerFactory loggerFactory, LogLevel logLevel) =>
        clusters => new ProxyWasmFilterLoader(clusters, loggerFactory, logLevel);
}
