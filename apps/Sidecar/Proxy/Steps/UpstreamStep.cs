namespace ImageHub.Sidecar.Proxy.Steps;

/// <summary>
/// The router's second half: sends the request to the route's cluster with the route's timeout
/// and leaves the upstream response (body not yet read) or the failure reply in the context.
/// </summary>
public sealed class UpstreamStep : IProxyStep
{
    public async ValueTask InvokeAsync(ProxyContext context, ProxyStepDelegate next)
    {
        var cluster = context.Cluster!;
        var timeout = context.Route!.Config.Route!.Timeout;
        var aborted = context.Http.RequestAborted;
        // The route timeout spans the whole response, body included, so it outlives this step.
        var cancellation = aborted;
        if (timeout > TimeSpan.Zero)
        {
            var timer = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            timer.CancelAfter(timeout);
            cancellation = timer.Token;
            context.OnCompleted.Add(() =>
            {
                timer.Dispose();
                return ValueTask.CompletedTask;
            });
        }
        context.UpstreamCancellation = cancellation;

        HttpContent? content = null;
        if (context.RequestBody is { } body)
        {
            content = new StreamContent(body);
            if (context.RequestBodyLength is { } length) content.Headers.ContentLength = length;
        }

        var result = await UpstreamForwarder.SendAsync(cluster, context.RequestHeaders, content, cancellation, aborted);
        context.Response = result.Response is { } response
            ? ProxyResponse.FromUpstream(UpstreamForwarder.ResponseHeaders(response), response)
            : ProxyResponse.Local(result.FailureStatus, result.FailureBody, result.FailureDetails);
        await next(context);
    }
}
