namespace ImageHub.ProxyWasm;

/// <summary>An HTTP request a filter makes with <c>proxy_http_call</c> to a named cluster.</summary>
public sealed record HttpCalloutRequest(
    string Cluster,
    HeaderMap Headers,
    byte[] Body,
    HeaderMap Trailers,
    TimeSpan? Timeout)
{
    public string Method => Headers.Get(":method") ?? "";
    public string Path => Headers.Get(":path") ?? "";
    public string Authority => Headers.Get(":authority") ?? "";
}

/// <summary>The answer to a callout. <c>:status</c> is among the headers, as Envoy hands it to the filter.</summary>
public sealed record HttpCalloutResponse(HeaderMap Headers, byte[] Body, HeaderMap Trailers)
{
    public static HttpCalloutResponse Create(int status, byte[]? body = null, params (string Name, string Value)[] headers)
    {
        var map = new HeaderMap();
        map.Add(":status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, value) in headers) map.Add(name, value);
        return new HttpCalloutResponse(map, body ?? [], new HeaderMap());
    }
}

/// <summary>
/// Sends filter callouts. The sidecar implements it with real HTTP to its clusters; the test
/// harness lets a test answer each call. Envoy semantics: an unknown cluster is refused when
/// the filter calls (<see cref="HasCluster"/>); an upstream that cannot be reached or answers
/// late is a normal response (503 / 504) from <see cref="SendAsync"/>; an exception is a reset,
/// which the filter sees as a callout with no response and status BrokenConnection.
/// </summary>
public interface IHttpCalloutDispatcher
{
    bool HasCluster(string cluster);

    Task<HttpCalloutResponse> SendAsync(HttpCalloutRequest request, CancellationToken cancellationToken);
}

/// <summary>A dispatcher with no clusters: every callout is refused with BadArgument.</summary>
public sealed class NoClusters : IHttpCalloutDispatcher
{
    public static NoClusters Instance { get; } = new();

    public bool HasCluster(string cluster) => false;

    public Task<HttpCalloutResponse> SendAsync(HttpCalloutRequest request, CancellationToken cancellationToken) =>
        Task.FromException<HttpCalloutResponse>(new InvalidOperationException($"no cluster named '{request.Cluster}'"));
}
