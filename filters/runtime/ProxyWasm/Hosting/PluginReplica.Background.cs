using System.Text;
using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// What reaches a replica's root context from outside a stream callback: ticks, queue
/// notifications and callout answers. A replica retired by a stream's failure keeps all three
/// while streams finish on it (a stream may wait for a tick as well as for a callout); once a
/// tick or a queue notification itself fails, its root gets neither any more.
/// </summary>
internal sealed partial class PluginReplica
{
    /// <summary>A callout in flight and the context that made it (the stream to fail if its answer traps).</summary>
    private sealed record Callout(CancellationTokenSource Cancel, int Origin);

    private readonly Dictionary<uint, Callout> _callouts = new();
    private uint _nextCalloutToken = 1;
    private ITimer? _tickTimer;
    private bool _rootFailed;   // a tick or queue notification failed: the root gets no more of them

    // ---- timers ----------------------------------------------------------------------

    public void SetTickPeriod(uint milliseconds)
    {
        _tickTimer?.Dispose();
        _tickTimer = null;
        if (milliseconds == 0 || Exports.OnTick is null || _rootFailed || _disposed) return;
        var period = TimeSpan.FromMilliseconds(milliseconds);
        _tickTimer = Host.Clock.CreateTimer(_ => Tick(), null, period, period);
    }

    private void Tick()
    {
        lock (Gate)
        {
            if (_rootFailed || _disposed || Exports.OnTick is not { } onTick) return;
            try { Call(Root, "proxy_on_tick", () => { onTick(Root.Id); return 0; }); }
            catch (FilterFailedException) { FailRoot(); }
        }
    }

    // ---- shared queues ---------------------------------------------------------------

    public void QueueReady(uint token)
    {
        Host.Post(() =>
        {
            lock (Gate)
            {
                if (_rootFailed || _disposed || Exports.OnQueueReady is not { } onReady) return;
                try { Call(Root, "proxy_on_queue_ready", () => { onReady(Root.Id, (int)token); return 0; }); }
                catch (FilterFailedException) { FailRoot(); }
            }
        });
    }

    // ---- HTTP callouts ---------------------------------------------------------------

    public WasmResult StartCallout(HttpCalloutRequest request, out uint token)
    {
        token = 0;
        if (!Host.Callouts.HasCluster(request.Cluster)) return WasmResult.BadArgument;
        if (request.Method.Length == 0 || request.Path.Length == 0 || request.Authority.Length == 0) return WasmResult.BadArgument;
        token = _nextCalloutToken++;
        if (token == 0) token = _nextCalloutToken++;
        var cancel = request.Timeout is { } timeout ? new CancellationTokenSource(timeout, Host.Clock) : new CancellationTokenSource();
        _callouts[token] = new Callout(cancel, CurrentContext.Id);
        Task<HttpCalloutResponse> sending;
        try { sending = Host.Callouts.SendAsync(request, cancel.Token); }
        catch (Exception exception) { sending = Task.FromException<HttpCalloutResponse>(exception); }
        var callToken = token;
        var timedOut = request.Timeout is not null;
        sending.ContinueWith(done => Deliver(callToken, done, cancel.IsCancellationRequested && timedOut), TaskContinuationOptions.ExecuteSynchronously);
        return WasmResult.Ok;
    }

    private void Deliver(uint token, Task<HttpCalloutResponse> done, bool timedOut)
    {
        if (InCallOnThisThread)
        {
            // The dispatcher answered while the filter was still making the call: Envoy
            // delivers callout responses later, never inside the hostcall.
            Host.Post(() => Deliver(token, done, timedOut));
            return;
        }
        lock (Gate)
        {
            if (_disposed || !_callouts.Remove(token, out var callout)) return;
            callout.Cancel.Dispose();
            if (Exports.OnHttpCallResponse is not { } onResponse) return;
            HttpCalloutResponse? response = done.IsCompletedSuccessfully ? done.Result
                : timedOut ? HttpCalloutResponse.Create(504, Encoding.UTF8.GetBytes("upstream request timeout"))
                : null;
            Root.CurrentCallout = response;
            Root.Status = response is null ? ((uint)WasmResult.BrokenConnection, "reset") : (0u, "");
            try
            {
                Call(Root, "proxy_on_http_call_response", () =>
                {
                    if (response is null) onResponse(Root.Id, (int)token, 0, 0, 0);
                    else onResponse(Root.Id, (int)token, response.Headers.Count, response.Body.Length, response.Trailers.Count);
                    return 0;
                });
            }
            catch (FilterFailedException)
            {
                // The answer belonged to the stream that asked: it fails, the others carry on.
                if (Find(callout.Origin) is StreamContext origin) origin.MarkFailed();
            }
            finally
            {
                Root.CurrentCallout = null;
                Root.Status = (0, "");
            }
        }
    }

    /// <summary>A failed stream's callouts are cancelled: their answers have nowhere to go.</summary>
    public void CancelCallouts(StreamContext stream)
    {
        foreach (var (token, callout) in _callouts.Where(c => c.Value.Origin == stream.Id).ToList())
        {
            _callouts.Remove(token);
            callout.Cancel.Cancel();
            callout.Cancel.Dispose();
        }
    }

    private void FailRoot()
    {
        _rootFailed = true;
        StopBackgroundWork();
    }

    private void StopBackgroundWork()
    {
        _tickTimer?.Dispose();
        _tickTimer = null;
    }

    private void CancelAllCallouts()
    {
        foreach (var callout in _callouts.Values)
        {
            callout.Cancel.Cancel();
            callout.Cancel.Dispose();
        }
        _callouts.Clear();
    }
}
