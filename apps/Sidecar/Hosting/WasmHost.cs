using ImageHub.Sidecar.Filters;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Hosting;

/// <summary>Chooses the Proxy-Wasm host the sidecar runs its wasm filters on.</summary>
public static class WasmHost
{
    public static IWasmFilterLoader CreateLoader(ILoggerFactory loggerFactory) => new NoWasmHostLoader();
}
