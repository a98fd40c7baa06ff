using System.Text;

namespace ImageHub.ProxyWasm.Testing;

/// <summary>An HTTP callout the filter made and the test has not answered yet.</summary>
public sealed class PendingCallout
{
    private readonly TaskCompletionSource<HttpCalloutResponse> _answer = new();
    private readonly FilterHarness _harness;

    internal PendingCallout(FilterHarness harness, HttpCalloutRequest request, CancellationToken cancellation)
    {
        _harness = harness;
        Request = request;
        cancellation.Register(() => _answer.TrySetCanceled());
    }

    public HttpCalloutRequest Request { get; }
    public string Cluster => Request.Cluster;
    public string BodyText => Encoding.UTF8.GetString(Request.Body);
    internal Task<HttpCalloutResponse> Answer => _answer.Task;
    public bool Answered => _answer.Task.IsCompleted;

    /// <summary>Answers the callout; the filter's <c>proxy_on_http_call_response</c> runs before this returns.</summary>
    public void Respond(int status, string body = "", params (string Name, string Value)[] headers)
    {
        if (!_answer.TrySetResult(HttpCalloutResponse.Create(status, Encoding.UTF8.GetBytes(body), headers)))
            throw new InvalidOperationException("this callout was already answered, reset or timed out");
        _harness.RunPending();
    }

    /// <summary>Resets the callout: the filter sees a response with no headers and status BrokenConnection.</summary>
    public void Reset()
    {
        if (!_answer.TrySetException(new IOException("connection reset")))
            throw new InvalidOperationException("this callout was already answered, reset or timed out");
        _harness.RunPending();
    }
}
