namespace ImageHub.ProxyWasm;

/// <summary>What the embedder does next with the stream after a filter callback.</summary>
public enum FilterAction
{
    /// <summary>Pass the (possibly changed) headers or body on to the next filter.</summary>
    Continue,

    /// <summary>The filter buffers this body chunk: send the next chunk; forward nothing yet.</summary>
    Buffer,

    /// <summary>Stop and answer the client with <see cref="FilterResult.LocalReply"/>.</summary>
    LocalReply,

    /// <summary>The filter closed the stream (<c>proxy_close_stream</c>): reset it.</summary>
    Reset,
}

/// <summary>A response the filter (or the host, on a failure) makes instead of the upstream.</summary>
public sealed record LocalReply(int StatusCode, string Details, byte[] Body, HeaderMap Headers, int? GrpcStatus)
{
    /// <summary>The response headers a client sees: <c>:status</c> first, then the filter's extra headers.</summary>
    public HeaderMap ToResponseHeaders()
    {
        var headers = new HeaderMap();
        headers.Add(":status", StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, value) in Headers) headers.Add(name, value);
        if (Body.Length > 0 && !headers.Contains("content-type")) headers.Add("content-type", "text/plain");
        if (Body.Length > 0) headers.Set("content-length", Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return headers;
    }
}

/// <summary>The outcome of one stream callback.</summary>
public readonly record struct FilterResult(FilterAction Action, LocalReply? LocalReply = null, ReadOnlyMemory<byte> Body = default)
{
    public static FilterResult Continue => new(FilterAction.Continue);

    public static FilterResult ContinueWith(ReadOnlyMemory<byte> body) => new(FilterAction.Continue, null, body);

    public static FilterResult Buffer => new(FilterAction.Buffer);

    public static FilterResult Reset => new(FilterAction.Reset);

    public static FilterResult Reply(LocalReply reply) => new(FilterAction.LocalReply, reply);
}
