using System.Net.Http.Headers;
using System.Net.Sockets;
using ImageHub.Sidecar.Upstream;

namespace ImageHub.Sidecar.Proxy;

/// <summary>The outcome of sending one request upstream: a response whose body is still to be read, or a failure.</summary>
public sealed record UpstreamResult(HttpResponseMessage? Response, int FailureStatus, string FailureBody, string FailureDetails)
{
    public static UpstreamResult Success(HttpResponseMessage response) => new(response, 0, "", "via_upstream");
    public static UpstreamResult Failure(int status, string body, string details) => new(null, status, body, details);
}

/// <summary>
/// Sends a request described by an Envoy-style header map to a cluster over pooled HTTP/1.1
/// connections. Used by the router and by filter callouts alike. Failures become Envoy's
/// answers: no endpoint or connection failure → 503, route timeout → 504.
/// </summary>
public static class UpstreamForwarder
{
    /// <param name="cancellation">cancelled when the route timeout expires or the caller went away (the caller links the two).</param>
    /// <param name="abortedToken">cancelled when the caller went away; surfaces as an <see cref="OperationCanceledException"/>.
    /// A cancellation without it is the timeout.</param>
    public static async Task<UpstreamResult> SendAsync(
        UpstreamCluster cluster, HttpHeaderMap headers, HttpContent? body,
        CancellationToken cancellation, CancellationToken abortedToken)
    {
        var endpoint = cluster.PickEndpoint();
        if (endpoint is null)
        {
            cluster.NoHealthyUpstream.Increment();
            return UpstreamResult.Failure(503, "no healthy upstream", "no_healthy_upstream");
        }

        using var request = BuildRequest(endpoint.Origin, headers, body);
        cluster.RequestsTotal.Increment();
        cluster.ActiveRequests.Add(1);
        try
        {
            var response = await cluster.Invoker.SendAsync(request, cancellation).ConfigureAwait(false);
            cluster.CountStatus((int)response.StatusCode);
            return UpstreamResult.Success(response);
        }
        catch (OperationCanceledException) when (abortedToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            cluster.Timeouts.Increment();
            return UpstreamResult.Failure(504, $"upstream request timeout (cluster {cluster.Name})", "upstream_response_timeout");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            var reason = IsConnectTimeout(e) ? "connection timeout"
                : IsConnectFailure(e) ? "connection failure"
                : "remote reset";
            if (reason != "remote reset") cluster.ConnectFailures.Increment();
            return UpstreamResult.Failure(503,
                $"upstream connect error or disconnect/reset before headers. reset reason: {reason} (cluster {cluster.Name}, {endpoint})",
                "upstream_reset_before_response_started{" + reason.Replace(' ', '_') + "}");
        }
        finally
        {
            cluster.ActiveRequests.Add(-1);
        }
    }

    /// <param name="origin">the endpoint as <c>http://host:port</c>.</param>
    internal static HttpRequestMessage BuildRequest(string origin, HttpHeaderMap headers, HttpContent? body)
    {
        var path = headers.Get(":path") ?? "/";
        if (!path.StartsWith('/')) path = "/" + path;
        // Parse answers the shared instances for the standard methods.
        var request = new HttpRequestMessage(HttpMethod.Parse(headers.Get(":method") ?? "GET"), new Uri(origin + path))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        foreach (var (name, value) in headers.Pairs)
        {
            if (name.StartsWith(':') || name == "host" || HopByHopHeaders.IsHopByHop(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, value) && body is not null)
            {
                // Content-* headers belong to the content; Content-Length we set from the body itself.
                if (name == "content-length") continue;
                body.Headers.TryAddWithoutValidation(name, value);
            }
        }
        request.Headers.Host = headers.Get(":authority");
        return request;
    }

    /// <summary>The headers filters see for an upstream response: <c>:status</c> first, hop-by-hop headers dropped.</summary>
    public static HttpHeaderMap ResponseHeaders(HttpResponseMessage response)
    {
        var map = new HttpHeaderMap();
        map.Add(":status", ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        AddAll(map, response.Headers);
        AddAll(map, response.Content.Headers);
        HopByHopHeaders.RemoveFrom(map);
        return map;
    }

    private static void AddAll(HttpHeaderMap map, HttpHeaders headers)
    {
        foreach (var (name, values) in headers.NonValidated)
            foreach (var value in values) map.Add(name, value);
    }

    private static bool IsConnectTimeout(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is TimeoutException) return true;
        return false;
    }

    private static bool IsConnectFailure(Exception e)
    {
        if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }) return true;
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is SocketException) return true;
        return false;
    }
}
