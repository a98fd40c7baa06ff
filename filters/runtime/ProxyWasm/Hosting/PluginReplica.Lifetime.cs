using ImageHub.ProxyWasm.Abi;
using Microsoft.Extensions.Logging;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// How a replica ends. Two ways: a callback fails (<see cref="Fault"/>), or its plugin version
/// is replaced or unloaded (<see cref="Retire"/>). Either way it takes no new streams and the
/// streams already bound to it finish on it; when the last one ends it is shut down. Only a
/// replica that never faulted runs its root context's <c>proxy_on_done</c> — as in Envoy,
/// which calls nothing more on a failed VM — and a root that answers false there stays alive
/// (ticks, callouts, queues) until it calls <c>proxy_done</c>.
/// </summary>
internal sealed partial class PluginReplica
{
    private bool _disposed;
    private bool _shuttingDown;
    private bool _pendingDone;
    private bool _started;

    /// <summary>A callback of this replica failed: its memory may hold that callback's half-done work.</summary>
    public bool Faulted { get; private set; }

    /// <summary>Takes no new streams (faulted, or its plugin version was replaced).</summary>
    public bool Retired
    {
        get => Volatile.Read(ref _retired) != 0;
        private set => Interlocked.Exchange(ref _retired, value ? 1 : 0);
    }

    private int _retired;

    public bool Disposed => _disposed;

    /// <summary>
    /// A callback failed. The replica leaves its slot at once (a fresh one takes the new
    /// streams) and keeps only the streams already bound to it, which finish on it; a later
    /// failure again fails only its own stream.
    /// </summary>
    private void Fault()
    {
        Plugin.CountFailure();
        if (Faulted) return;
        Faulted = true;
        Retired = true;
        if (!_started) return; // failed while starting: the caller reports it as a load failure
        var bystanders = Volatile.Read(ref _bound) - (_currentContext is StreamContext { Detached: false } ? 1 : 0);
        Plugin.Log.LogWarning("wasm filter '{Plugin}': replica {Slot} retired after a failure; {Streams} other stream(s) finish on it, new streams go to a fresh replica",
            Plugin.Options.Name, Slot, bystanders);
        Plugin.ReplicaFaulted(this);
        // Nothing left to finish: gone now (a root waiting for proxy_done included; a failing
        // on_done of the shutdown itself is ended by Shutdown).
        if (Volatile.Read(ref _bound) == 0 && (!_shuttingDown || _pendingDone)) Dispose();
    }

    /// <summary>The plugin version was replaced or unloaded: finish the streams in flight, then shut down.</summary>
    public void Retire()
    {
        lock (Gate)
        {
            if (Retired) return;
            Retired = true;
            if (Volatile.Read(ref _bound) == 0) Shutdown();
        }
    }

    /// <summary>A stream ended (under the gate); a retired replica shuts down after its last one.</summary>
    public void Forget(StreamContext stream)
    {
        _streams.Remove(stream.Id);
        stream.Detached = true;
        Unbind();
    }

    /// <summary>One bound stream less (under the gate).</summary>
    private void Unbind()
    {
        if (Interlocked.Decrement(ref _bound) == 0 && Retired) Shutdown();
    }

    private void Shutdown()
    {
        if (_shuttingDown || _disposed) return;
        _shuttingDown = true;
        if (!Faulted && Exports.OnDone is { } onDone)
        {
            bool finished;
            try { finished = Call(Root, "proxy_on_done", (onDone, Root.Id), static s => s.onDone(s.Id)) != 0; }
            catch (FilterFailedException) { finished = true; }
            if (!finished)
            {
                // Envoy keeps such a root context ("pending done") until it calls proxy_done.
                _pendingDone = true;
                Plugin.Log.LogInformation("wasm filter '{Plugin}': replica {Slot} deferred its on_done; it stays until the filter calls proxy_done",
                    Plugin.Options.Name, Slot);
                return;
            }
            if (!Faulted) DeleteRoot();
        }
        Dispose();
    }

    /// <summary>
    /// <c>proxy_done</c>: Ok only for a root context that deferred its on_done (Envoy's
    /// <c>WasmBase::done</c>), NotFound otherwise. As in Envoy, <c>proxy_on_delete</c> and the
    /// end of the replica come after the current callback returns, never inside it.
    /// </summary>
    public WasmResult Done()
    {
        if (!_pendingDone) return WasmResult.NotFound;
        _pendingDone = false;
        Host.Post(() =>
        {
            lock (Gate)
            {
                if (_disposed) return;
                if (!Faulted) DeleteRoot();
                Dispose();
            }
        });
        return WasmResult.Ok;
    }

    private void DeleteRoot()
    {
        if (Exports.OnDelete is not { } onDelete) return;
        try { Call(Root, "proxy_on_delete", (onDelete, Root.Id), static s => { s.onDelete(s.Id); return 0; }); }
        catch (FilterFailedException) { }
    }

    /// <summary>
    /// Discards the replica now. Streams still bound to it (only when the host itself is
    /// disposed) are answered by the failure policy.
    /// </summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            Retired = true;
            _pendingDone = false;
            StopBackgroundWork();
            CancelAllCallouts();
            foreach (var stream in _streams.Values.ToList()) stream.MarkFailed();
        }
        Host.SharedQueues.Unsubscribe(QueueReady);
        Plugin.ReplicaGone(this);
    }
}
