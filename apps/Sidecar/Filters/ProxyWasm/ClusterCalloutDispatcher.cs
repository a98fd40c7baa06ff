using ImageHub.ProxyWasm;
using ImageHub.Sidecar.Proxy;
using ImageHub.Sidecar.Upstream;

namespace ImageHub.Sidecar.Filters.ProxyWasm;

/// <summary>
/// <c>proxy_http_call</c> to a named cluster through the same forwarder and connection pools as
/// routed requests. As in Envoy, an upstream that cannot be reached is a 503 response and a
/// timeout a 504, not an error.
/// </summary>
public sealed class ClusterCalloutDispatcher(ClusterManager clusters) : IHttpCalloutDispatcher
{
    public bool HasCluster(string cluster) => clusters.Find(cluster) is not null;

    public async Task<HttpCalloutResponse> SendAsync(HttpCalloutRequest request, CancellationToken cancellationToken)
    {
        var cluster = clusters.Find(request.Cluster)
            ?? throw new InvalidOperationException($"no cluster named '{request.Cluster}'");
        // A copy: the request is the filter's, and the forwarder may drop content-length from it.
        var headers = new HttpHeaderMap(request.Headers.Clone());
        var content = request.Body.Length > 0 ? new ByteArrayContent(request.Body) : null;
        if (content is not null) headers.Remove("content-length");

        // The host cancels the token when the filter's callout timeout expires.
        var result = await UpstreamForwarder.SendAsync(cluster, headers, content, cancellationToken, CancellationToken.None);
        if (result.Response is not { } response)
            return HttpCalloutResponse.Create(result.FailureStatus, System.Text.Encoding.UTF8.GetBytes(result.FailureBody));

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new HttpCalloutResponse(UpstreamForwarder.ResponseHeaders(response).Entries, body, new HeaderMap());
        }
    }
}
