namespace ImageHub.Sidecar.Proxy;

/// <summary>
/// The response on its way back to the client: headers as filters see them (<c>:status</c>
/// included), and either a body the proxy made itself or the upstream's streamed body.
/// </summary>
public sealed class ProxyResponse
{
    private ProxyResponse(HttpHeaderMap headers, ReadOnlyMemory<byte> localBody, HttpResponseMessage? upstream, string details)
    {
        Headers = headers;
        LocalBody = localBody;
        Upstream = upstream;
        Details = details;
    }

    public HttpHeaderMap Headers { get; }

    /// <summary>Set for responses the proxy or a filter produced (404, 503, local replies).</summary>
    public ReadOnlyMemory<byte> LocalBody { get; set; }

    /// <summary>Set when the body streams from the upstream; the writer disposes it.</summary>
    public HttpResponseMessage? Upstream { get; }

    /// <summary>Why the response is what it is, as Envoy's response code details (<c>via_upstream</c>, <c>route_not_found</c>).</summary>
    public string Details { get; }

    public int Status
    {
        get => int.TryParse(Headers.Get(":status"), out var status) ? status : 502;
        set => Headers.Set(":status", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static ProxyResponse Local(int status, string? body, string details, string contentType = "text/plain")
    {
        var headers = new HttpHeaderMap();
        headers.Add(":status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var bytes = body is null ? ReadOnlyMemory<byte>.Empty : System.Text.Encoding.UTF8.GetBytes(body);
        if (bytes.Length > 0) headers.Add("content-type", contentType);
        return new ProxyResponse(headers, bytes, null, details);
    }

    public static ProxyResponse Local(HttpHeaderMap headers, ReadOnlyMemory<byte> body, string details) =>
        new(headers, body, null, details);

    public static ProxyResponse FromUpstream(HttpHeaderMap headers, HttpResponseMessage upstream) =>
        new(headers, ReadOnlyMemory<byte>.Empty, upstream, "via_upstream");
}
