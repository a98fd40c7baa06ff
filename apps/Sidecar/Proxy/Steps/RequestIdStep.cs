namespace ImageHub.Sidecar.Proxy.Steps;

/// <summary>Gives every request an <c>x-request-id</c> (a UUID, as Envoy makes) unless the client sent one.</summary>
public sealed class RequestIdStep : IProxyStep
{
    public ValueTask InvokeAsync(ProxyContext context, ProxyStepDelegate next)
    {
        if (string.IsNullOrEmpty(context.RequestHeaders.Get("x-request-id")))
            context.RequestHeaders.Set("x-request-id", Guid.NewGuid().ToString());
        return next(context);
    }
}
