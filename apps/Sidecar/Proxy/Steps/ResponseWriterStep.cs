using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Proxy.Steps;

/// <summary>
/// The first step and the last word: runs the rest of the pipeline, then writes whatever
/// response it produced to the client, streaming an upstream body as it arrives.
/// </summary>
public sealed class ResponseWriterStep(ILogger<ResponseWriterStep> logger) : IProxyStep
{
    public async ValueTask InvokeAsync(ProxyContext context, ProxyStepDelegate next)
    {
        var listener = context.Listener;
        var http = context.Http;
        listener.RequestsTotal.Increment();
        listener.ActiveRequests.Add(1);
        try
        {
            await next(context);
            if (context.ResponseStage is { } stage) await stage.OnResponseAsync(context);
            var response = context.Response ?? ProxyResponse.Local(500, "the proxy produced no response", "no_response");
            listener.CountStatus(response.Status);
            await WriteAsync(context, response);
            // Checked first: the arguments alone (three header lookups, a boxed status) cost more than the rest of this step.
            if (logger.IsEnabled(LogLevel.Debug))
                logger.LogDebug("{Method} {Authority}{Path} -> {Status} {Details}", context.Method, context.Authority, context.Path, response.Status, response.Details);
        }
        catch (Filters.StreamResetException e)
        {
            logger.LogInformation("{Method} {Path}: {Reason}", context.Method, context.Path, e.Message);
            http.Abort();
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (OperationCanceledException) when (context.UpstreamCancellation.IsCancellationRequested)
        {
            // The route timeout expired while the body was streaming: the status line is already
            // sent, so the only honest signal left is to cut the connection.
            logger.LogWarning("{Method} {Path}: upstream timeout while streaming the response body", context.Method, context.Path);
            http.Abort();
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            logger.LogWarning("{Method} {Path}: upstream reset while streaming the response body: {Error}", context.Method, context.Path, e.Message);
            if (!http.Response.HasStarted)
            {
                http.Response.Clear();
                http.Response.StatusCode = 503;
                await http.Response.WriteAsync("upstream reset while sending the response body");
            }
            else http.Abort();
        }
        finally
        {
            listener.ActiveRequests.Add(-1);
            context.Response?.Upstream?.Dispose();
            for (var i = context.OnCompleted.Count - 1; i >= 0; i--)
            {
                try { await context.OnCompleted[i](); }
                catch (Exception e) { logger.LogError(e, "cleanup after {Path} failed", context.Path); }
            }
            context.ResponseStage?.Complete(context);
        }
    }

    private static async Task WriteAsync(ProxyContext context, ProxyResponse response)
    {
        var http = context.Http.Response;
        http.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers.Pairs)
        {
            if (name.StartsWith(':') || HopByHopHeaders.IsHopByHop(name)) continue;
            http.Headers.Append(name, value);
        }

        if (response.Upstream is { } upstream)
        {
            var body = await upstream.Content.ReadAsStreamAsync(context.UpstreamCancellation);
            // Kestrel flushes each write, so the client gets the bytes as the upstream sends them.
            await body.CopyToAsync(http.Body, context.UpstreamCancellation);
            return;
        }

        http.Headers.ContentLength = response.LocalBody.Length;
        if (response.LocalBody.Length > 0 && !HttpMethods.IsHead(context.Http.Request.Method))
            await http.Body.WriteAsync(response.LocalBody, context.Http.RequestAborted);
    }
}
