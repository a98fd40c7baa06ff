using Microsoft.AspNetCore.Http.Features;

namespace ImageHub.Sidecar.Proxy.Steps;

/// <summary>
/// Turns the client's request into the header map the rest of the pipeline works on, with the
/// pseudo-headers Envoy gives filters, and without the hop-by-hop headers of the client's connection.
/// </summary>
public sealed class DownstreamRequestStep : IProxyStep
{
    public ValueTask InvokeAsync(ProxyContext context, ProxyStepDelegate next)
    {
        var request = context.Http.Request;
        var headers = context.RequestHeaders;
        headers.Add(":authority", request.Host.Value ?? "");
        headers.Add(":path", PathAndQuery(context));
        headers.Add(":method", request.Method);
        headers.Add(":scheme", request.Scheme);
        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("host", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var value in values) headers.Add(name, value ?? "");
        }
        HopByHopHeaders.RemoveFrom(headers);

        var bodyDetection = context.Http.Features.Get<IHttpRequestBodyDetectionFeature>();
        if (bodyDetection?.CanHaveBody ?? request.ContentLength > 0)
        {
            context.RequestBody = request.Body;
            context.RequestBodyLength = request.ContentLength;
        }
        return next(context);
    }

    /// <summary>The request target as the client wrote it, so encoded characters reach the upstream unchanged.</summary>
    private static string PathAndQuery(ProxyContext context)
    {
        var raw = context.Http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is { Length: > 0 } && raw[0] == '/') return raw;
        var request = context.Http.Request;
        return $"{request.PathBase}{request.Path}{request.QueryString}";
    }
}
