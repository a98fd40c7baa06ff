using System.Text;
using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Metrics;
using ImageHub.Wasm;
using Microsoft.Extensions.Logging;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// One VM of a plugin (Envoy runs one per worker thread): an instance of the shared compiled
/// module with its root context and the streams bound to it. Every call into the instance
/// holds <see cref="Gate"/>, so a replica runs one callback at a time; a stream paused on a
/// callout holds nothing.
/// </summary>
internal sealed class PluginReplica : IDisposable
{
    private readonly Dictionary<int, StreamContext> _streams = new();
    private readonly Dictionary<uint, CancellationTokenSource?> _callouts = new();
    private int _nextContextId = 1;
    private uint _nextCalloutToken = 1;
    private int _currentContext;
    private int _effectiveContext;
    private int _callDepth;
    private int _callThread;
    private ITimer? _tickTimer;
    private IWasmMemory? _memory;

    public PluginReplica(LoadedPlugin plugin, int slot)
    {
        Plugin = plugin;
        Slot = slot;
        Metrics = new ReplicaMetricTable(plugin.Host.Metrics, plugin.Options.Name);
        Root = new RootContext(this, _nextContextId++);
        var imports = new WasmImports();
        new Hostcalls(this).Register(imports, plugin.Abi);
        ProxyWasi.Register(imports, this, plugin.Module);
        Instance = plugin.Module.Instantiate(imports, plugin.Options.Limits);
        Exports = new GuestExports(Instance, plugin.Abi);
    }

    public LoadedPlugin Plugin { get; }
    public ProxyWasmHost Host => Plugin.Host;
    public int Slot { get; }
    public IWasmInstance Instance { get; }
    public GuestExports Exports { get; }
    public RootContext Root { get; }
    public ReplicaMetricTable Metrics { get; }
    public Lock Gate { get; } = new();
    public bool Failed { get; private set; }

    /// <summary>True while <c>proxy_on_configure</c> runs: the plugin configuration buffer exists only then.</summary>
    public bool ConfigurationVisible { get; private set; }

    public int ActiveStreams
    {
        get { lock (Gate) return _streams.Count; }
    }

    public IWasmMemory Memory(WasmCaller caller) => _memory ??= caller.Memory;

    /// <summary>Runs the module's start-up and the root context's start and configure callbacks.</summary>
    public void Start()
    {
        lock (Gate)
        {
            if (Exports.Initialize is { } initialize)
            {
                Call(Root.Id, "_initialize", () => { initialize(); return 0; });
                if (Exports.Main is { } main) Call(Root.Id, "main", () => main(0, 0));
            }
            else if (Exports.Start is { } start)
            {
                Call(Root.Id, "_start", () => { start(); return 0; });
            }
            if (Exports.OnContextCreate is { } create) Call(Root.Id, "proxy_on_context_create", () => { create(Root.Id, 0); return 0; });
            if (Exports.OnVmStart is { } vmStart &&
                Call(Root.Id, "proxy_on_vm_start", () => vmStart(Root.Id, Plugin.VmConfigurationBytes.Length)) == 0)
                throw new InvalidOperationException("proxy_on_vm_start returned false (the VM configuration was refused)");
            if (Exports.OnConfigure is { } configure)
            {
                ConfigurationVisible = true;
                try
                {
                    if (Call(Root.Id, "proxy_on_configure", () => configure(Root.Id, Plugin.ConfigurationBytes.Length)) == 0)
                        throw new InvalidOperationException("proxy_on_configure returned false (the plugin configuration was refused)");
                }
                finally
                {
                    ConfigurationVisible = false;
                }
            }
        }
    }

    public StreamContext OpenStream(StreamInfo info)
    {
        lock (Gate)
        {
            var stream = new StreamContext(this, _nextContextId++, info);
            _streams[stream.Id] = stream;
            return stream;
        }
    }

    public void Forget(StreamContext stream) => _streams.Remove(stream.Id);

    /// <summary>
    /// Calls into the guest for <paramref name="contextId"/> under the callback budget. Any
    /// failure fails the replica: logged with the filter's name and the trap, counted, the
    /// paused streams answered by the failure policy; the caller gets <see cref="FilterFailedException"/>.
    /// Must be called holding <see cref="Gate"/>.
    /// </summary>
    public int Call(int contextId, string callback, Func<int> body) =>
        Call(contextId, callback, body, static b => b());

    /// <summary>The same, with the callback's arguments passed as state so hot paths allocate no closure.</summary>
    public int Call<TState>(int contextId, string callback, TState state, Func<TState, int> body)
    {
        if (Failed) throw new FilterFailedException($"plugin '{Plugin.Options.Name}': replica already failed", new InvalidOperationException());
        var outer = _callDepth == 0;
        var savedContext = _currentContext;
        var savedEffective = _effectiveContext;
        _currentContext = contextId;
        _effectiveContext = 0;
        _callDepth++;
        _callThread = Environment.CurrentManagedThreadId;
        try
        {
            if (outer) Instance.SetBudget(Plugin.Options.FuelPerCallback, Plugin.Options.DeadlinePerCallback);
            return body(state);
        }
        catch (Exception failure) when (failure is not FilterFailedException)
        {
            var message = Describe(failure);
            Plugin.Log.LogError("wasm filter '{Plugin}' failed in {Callback}: {Trap}", Plugin.Options.Name, callback, message);
            FailReplica();
            throw new FilterFailedException($"plugin '{Plugin.Options.Name}' failed in {callback}: {message}", failure);
        }
        finally
        {
            _callDepth--;
            _currentContext = savedContext;
            _effectiveContext = savedEffective;
            if (_callDepth == 0) _callThread = 0;
        }
    }

    /// <summary>True when the calling thread is inside a callback of this replica (a re-entrant delivery must be deferred).</summary>
    public bool InCallOnThisThread => _callDepth > 0 && _callThread == Environment.CurrentManagedThreadId;

    /// <summary>The context hostcalls act on: the effective one if the filter set it and it still exists.</summary>
    public ProxyContext CurrentContext
    {
        get
        {
            var id = _effectiveContext != 0 ? _effectiveContext : _currentContext;
            return Find(id) ?? Find(_currentContext) ?? Root;
        }
    }

    public ProxyContext? Find(int id) =>
        id == Root.Id ? Root : _streams.TryGetValue(id, out var stream) ? stream : null;

    public WasmResult SetEffectiveContext(int id)
    {
        if (Find(id) is null) return WasmResult.BadArgument;
        _effectiveContext = id;
        return WasmResult.Ok;
    }

    /// <summary>Copies <paramref name="data"/> into memory the guest allocates and writes its address and size.</summary>
    public WasmResult CopyOut(WasmCaller caller, ReadOnlySpan<byte> data, int addressPointer, int sizePointer)
    {
        var address = 0;
        if (data.Length > 0)
        {
            var copy = data.ToArray();
            address = Exports.Allocate(copy.Length);
            if (address == 0 || !GuestMemory.TryWrite(Memory(caller), address, copy)) return WasmResult.InvalidMemoryAccess;
        }
        var memory = Memory(caller);
        if (!GuestMemory.TryWriteUInt32(memory, addressPointer, (uint)address)) return WasmResult.InvalidMemoryAccess;
        if (!GuestMemory.TryWriteUInt32(memory, sizePointer, (uint)data.Length)) return WasmResult.InvalidMemoryAccess;
        return WasmResult.Ok;
    }

    public void Log(ProxyLogLevel level, string message) => Plugin.WriteGuestLog(level, message);

    // ---- timers ----------------------------------------------------------------------

    public void SetTickPeriod(uint milliseconds)
    {
        _tickTimer?.Dispose();
        _tickTimer = null;
        if (milliseconds == 0 || Exports.OnTick is null) return;
        var period = TimeSpan.FromMilliseconds(milliseconds);
        _tickTimer = Host.Clock.CreateTimer(_ => Tick(), null, period, period);
    }

    private void Tick()
    {
        lock (Gate)
        {
            if (Failed || Exports.OnTick is not { } onTick) return;
            try { Call(Root.Id, "proxy_on_tick", () => { onTick(Root.Id); return 0; }); }
            catch (FilterFailedException) { }
        }
    }

    // ---- shared queues ---------------------------------------------------------------

    public void QueueReady(uint token)
    {
        Host.Post(() =>
        {
            lock (Gate)
            {
                if (Failed || Exports.OnQueueReady is not { } onReady) return;
                try { Call(Root.Id, "proxy_on_queue_ready", () => { onReady(Root.Id, (int)token); return 0; }); }
                catch (FilterFailedException) { }
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
        _callouts[token] = cancel;
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
            if (Failed || !_callouts.Remove(token, out var cancel)) return;
            cancel?.Dispose();
            if (Exports.OnHttpCallResponse is not { } onResponse) return;
            HttpCalloutResponse? response = done.IsCompletedSuccessfully ? done.Result
                : timedOut ? HttpCalloutResponse.Create(504, Encoding.UTF8.GetBytes("upstream request timeout"))
                : null;
            Root.CurrentCallout = response;
            Root.Status = response is null ? ((uint)WasmResult.BrokenConnection, "reset") : (0u, "");
            try
            {
                Call(Root.Id, "proxy_on_http_call_response", () =>
                {
                    if (response is null) onResponse(Root.Id, (int)token, 0, 0, 0);
                    else onResponse(Root.Id, (int)token, response.Headers.Count, response.Body.Length, response.Trailers.Count);
                    return 0;
                });
            }
            catch (FilterFailedException) { }
            finally
            {
                Root.CurrentCallout = null;
                Root.Status = (0, "");
            }
        }
    }

    // ---- failure -----------------------------------------------------------------------

    private void FailReplica()
    {
        if (Failed) return;
        Failed = true;
        _tickTimer?.Dispose();
        foreach (var cancel in _callouts.Values) cancel?.Cancel();
        _callouts.Clear();
        foreach (var stream in _streams.Values.ToList()) stream.MarkFailed();
        Plugin.ReplicaFailed(this);
    }

    private static string Describe(Exception failure) => ProxyWasi.DescribeExit(failure) ?? failure switch
    {
        WasmTrapException trap => $"trap {trap.Kind}: {trap.Message}",
        _ => $"{failure.GetType().Name}: {failure.Message}",
    };

    public void Dispose()
    {
        lock (Gate)
        {
            _tickTimer?.Dispose();
            foreach (var cancel in _callouts.Values) cancel?.Cancel();
            _callouts.Clear();
        }
    }
}
