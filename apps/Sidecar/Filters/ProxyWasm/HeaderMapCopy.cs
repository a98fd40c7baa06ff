using ImageHub.Sidecar.Proxy;
using HostHeaderMap = ImageHub.ProxyWasm.HeaderMap;

namespace ImageHub.Sidecar.Filters.ProxyWasm;

/// <summary>
/// Copies between the pipeline's header map and the host's. The pipeline keeps its own type so
/// it does not depend on the host; a copy of a dozen headers costs far less than a wasm call.
/// </summary>
internal static class HeaderMapCopy
{
    public static HostHeaderMap ToHost(HttpHeaderMap headers) => new(headers.Pairs);

    public static void CopyBack(HostHeaderMap from, HttpHeaderMap to)
    {
        to.Clear();
        foreach (var (name, value) in from) to.Add(name, value);
    }

    public static HttpHeaderMap FromHost(HostHeaderMap from)
    {
        var map = new HttpHeaderMap();
        foreach (var (name, value) in from) map.Add(name, value);
        return map;
    }
}
