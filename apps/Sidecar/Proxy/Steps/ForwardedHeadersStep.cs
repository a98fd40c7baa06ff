namespace ImageHub.Sidecar.Proxy.Steps;

/// <summary>
/// Appends the client's address to <c>x-forwarded-for</c> and sets <c>x-forwarded-proto</c> to the
/// scheme the client used, as an edge Envoy does.
/// </summary>
public sealed class ForwardedHeadersStep : IProxyStep
{
    public ValueTask InvokeAsync(ProxyContext context, ProxyStepDelegate next)
    {
        var headers = context.RequestHeaders;
        var client = context.Http.Connection.RemoteIpAddress;
        if (client is not null)
        {
            if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
            var existing = headers.Get("x-forwarded-for");
            headers.Set("x-forwarded-for", string.IsNullOrEmpty(existing) ? client.ToString() : $"{existing}, {client}");
        }
        headers.Set("x-forwarded-proto", context.Http.Request.Scheme);
        return next(context);
    }
}
