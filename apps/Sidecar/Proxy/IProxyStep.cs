namespace ImageHub.Sidecar.Proxy;

public delegate ValueTask ProxyStepDelegate(ProxyContext context);

/// <summary>
/// One step of the proxy pipeline. A step does its part and calls <c>next</c>, or produces
/// <see cref="ProxyContext.Response"/> itself and returns without calling it; code after
/// <c>next</c> sees the response on its way back.
/// </summary>
public interface IProxyStep
{
    ValueTask InvokeAsync(ProxyContext context, ProxyStepDelegate next);
}

/// <summary>The steps chained in order; the end of the chain does nothing.</summary>
public sealed class ProxyPipeline
{
    private readonly ProxyStepDelegate _entry;

    public ProxyPipeline(IReadOnlyList<IProxyStep> steps)
    {
        Steps = steps;
        ProxyStepDelegate next = _ => ValueTask.CompletedTask;
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            var step = steps[i];
            var following = next;
            next = context => step.InvokeAsync(context, following);
        }
        _entry = next;
    }

    public IReadOnlyList<IProxyStep> Steps { get; }

    public ValueTask InvokeAsync(ProxyContext context) => _entry(context);
}
