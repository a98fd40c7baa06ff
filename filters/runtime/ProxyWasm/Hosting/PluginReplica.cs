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
/// callout holds nothing. How a replica ends (a fault, a newer plugin version) is in
/// PluginReplica.Lifetime.cs; timers, queues and callouts in PluginReplica.Background.cs.
/// </summary>
internal sealed partial class PluginReplica : IDisposable
{
    // The streams bound to this replica, by id, and how many (both under the gate; the count is
    // also read without it).
    private readonly Dictionary<int, StreamContext> _streams = new();
    private int _bound;
    private int _nextContextId;
    // The context being called and the one the filter made effective: objects, not ids, so a
    // hostcall finds its context without a lookup.
    private ProxyContext? _currentContext;
    private ProxyContext? _effectiveContext;
    // Set by a call that leaves its budget to the next one of the same host event (see Call).
    private bool _budgetCarried;
    private int _callDepth;
    private int _callThread;
    private IWasmMemory? _memory;

    public PluginReplica(LoadedPlugin plugin, int slot)
    {
        Plugin = plugin;
        Slot = slot;
        Metrics = new ReplicaMetricTable(plugin.Host.Metrics, plugin.Options.Name);
        Root = new RootContext(this, Interlocked.Increment(ref _nextContextId));
        var imports = new WasmImports();
        new Hostcalls(this).Register(imports, plugin.Abi);
        ProxyWasi.Register(imports, this, plugin.Module);
        Instance = Instantiate(plugin, imports);
        Exports = new GuestExports(Instance, plugin.Abi);
    }

    /// <summary>
    /// Instantiates under a start budget: the module's start function runs inside instantiation,
    /// before any callback budget applies, so one that spins would hang the load (or a rebuild)
    /// for good. Unless the limits name their own, it gets the budget of one callback.
    /// </summary>
    private static IWasmInstance Instantiate(LoadedPlugin plugin, WasmImports imports)
    {
        var options = plugin.Options;
        var limits = options.Limits with
        {
            StartFuel = options.Limits.StartFuel ?? options.FuelPerCallback,
            StartDeadline = options.Limits.StartDeadline ?? options.DeadlinePerCallback,
        };
        try
        {
            return plugin.Module.Instantiate(imports, limits);
        }
        catch (WasmTrapException trap)
        {
            var budget = trap.Kind switch
            {
                TrapKind.DeadlineExceeded => $" (start deadline {limits.StartDeadline?.TotalMilliseconds} ms)",
                TrapKind.OutOfFuel => $" (start fuel {limits.StartFuel})",
                _ => "",
            };
            throw new InvalidOperationException($"trap {trap.Kind} in the start function: {trap.Message}{budget}", trap);
        }
    }

    public LoadedPlugin Plugin { get; }
    public ProxyWasmHost Host => Plugin.Host;
    public int Slot { get; }
    public IWasmInstance Instance { get; }
    public GuestExports Exports { get; }
    public RootContext Root { get; }
    public ReplicaMetricTable Metrics { get; }
    public Lock Gate { get; } = new();

    /// <summary>True while <c>proxy_on_configure</c> runs: the plugin configuration buffer exists only then.</summary>
    public bool ConfigurationVisible { get; private set; }

    public int ActiveStreams => Volatile.Read(ref _bound);

    public IWasmMemory Memory(WasmCaller caller) => _memory ??= caller.Memory;

    /// <summary>Runs the module's start-up and the root context's start and configure callbacks.</summary>
    public void Start()
    {
        lock (Gate)
        {
            if (Exports.Initialize is { } initialize)
            {
                Call(Root, "_initialize", () => { initialize(); return 0; });
                if (Exports.Main is { } main) Call(Root, "main", () => main(0, 0));
            }
            else if (Exports.Start is { } start)
            {
                Call(Root, "_start", () => { start(); return 0; });
            }
            if (Exports.OnContextCreate is { } create) Call(Root, "proxy_on_context_create", () => { create(Root.Id, 0); return 0; });
            if (Exports.OnVmStart is { } vmStart &&
                Call(Root, "proxy_on_vm_start", () => vmStart(Root.Id, Plugin.VmConfigurationBytes.Length)) == 0)
                throw new InvalidOperationException("proxy_on_vm_start returned false (the VM configuration was refused)");
            if (Exports.OnConfigure is { } configure)
            {
                ConfigurationVisible = true;
                try
                {
                    if (Call(Root, "proxy_on_configure", () => configure(Root.Id, Plugin.ConfigurationBytes.Length)) == 0)
                        throw new InvalidOperationException("proxy_on_configure returned false (the plugin configuration was refused)");
                }
                finally
                {
                    ConfigurationVisible = false;
                }
            }
            _started = true;
        }
    }

    /// <summary>Binds a new stream to this replica, or null when it takes no new streams (faulted or retired).</summary>
    /// <remarks>
    /// Opening without the gate (counting the stream first, registering it at its first step)
    /// was tried: it saved no measurable CPU in the sidecar and made callouts in a test that opens
    /// 64 streams at once on a loaded machine time out now and then, so it stays under the gate.
    /// </remarks>
    public StreamContext? OpenStream(StreamInfo info)
    {
        lock (Gate)
        {
            if (Retired) return null;
            Interlocked.Increment(ref _bound);
            var stream = new StreamContext(this, Interlocked.Increment(ref _nextContextId), info);
            _streams[stream.Id] = stream;
            return stream;
        }
    }


    /// <summary>
    /// Calls into the guest for <paramref name="contextId"/> under the callback budget. A
    /// failure is logged with the filter's name, the callback and the trap, counted, and
    /// retires the replica (<see cref="Fault"/>); the caller gets <see cref="FilterFailedException"/>
    /// and fails the one stream the callback was for. Must be called holding <see cref="Gate"/>.
    /// </summary>
    public int Call(ProxyContext context, string callback, Func<int> body) =>
        Call(context, callback, body, static b => b());

    /// <summary>The same, with the callback's arguments passed as state so hot paths allocate no closure.</summary>
    /// <param name="carryBudget">
    /// The next call belongs to the same host event (context create, then request headers; done,
    /// log, then delete) and runs under what is left of this call's budget instead of a fresh one:
    /// setting a budget reads the clock, and the callbacks of one event are all short or none is.
    /// </param>
    public int Call<TState>(ProxyContext context, string callback, TState state, Func<TState, int> body, bool carryBudget = false)
    {
        if (_disposed) throw new FilterFailedException($"plugin '{Plugin.Options.Name}': the replica was discarded", new ObjectDisposedException(nameof(PluginReplica)));
        var outer = _callDepth == 0;
        var savedContext = _currentContext;
        var savedEffective = _effectiveContext;
        _currentContext = context;
        _effectiveContext = null;
        _callDepth++;
        _callThread = Environment.CurrentManagedThreadId;
        try
        {
            if (outer)
            {
                if (!_budgetCarried) Instance.SetBudget(Plugin.Options.FuelPerCallback, Plugin.Options.DeadlinePerCallback);
                _budgetCarried = false;
            }
            var result = body(state);
            // Only a call that returned hands its budget on: a failure leaves the next call a fresh one.
            if (outer) _budgetCarried = carryBudget;
            return result;
        }
        catch (Exception failure) when (failure is not FilterFailedException)
        {
            // The memory in use tells an operator whether the filter ran out of it (guests trap
            // their own way when memory.grow is refused).
            var message = Describe(failure) + MemoryUse();
            Plugin.Log.LogError("wasm filter '{Plugin}' failed in {Callback}: {Trap}", Plugin.Options.Name, callback, message);
            Fault();
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
    public ProxyContext CurrentContext =>
        _effectiveContext is { Detached: false } effective ? effective
        : _currentContext is { Detached: false } current ? current
        : Root;

    public ProxyContext? Find(int id) =>
        id == Root.Id ? Root : _streams.TryGetValue(id, out var stream) ? stream : null;

    public WasmResult SetEffectiveContext(int id)
    {
        if (Find(id) is not { } context) return WasmResult.BadArgument;
        _effectiveContext = context;
        return WasmResult.Ok;
    }

    /// <summary>Copies <paramref name="data"/> into memory the guest allocates and writes its address and size.</summary>
    /// <remarks>
    /// <paramref name="data"/> is host memory (never the guest's, whose buffer may move when the
    /// allocation grows it), so it is written straight from the span.
    /// </remarks>
    public WasmResult CopyOut(WasmCaller caller, ReadOnlySpan<byte> data, int addressPointer, int sizePointer)
    {
        var address = 0;
        if (data.Length > 0)
        {
            address = Exports.Allocate(data.Length);
            if (address == 0 || !GuestMemory.TryWrite(Memory(caller), address, data)) return WasmResult.InvalidMemoryAccess;
        }
        return WriteAddressAndSize(caller, address, data.Length, addressPointer, sizePointer);
    }

    /// <summary>The same for text: encoded as UTF-8 straight into the memory the guest allocates.</summary>
    public WasmResult CopyOutUtf8(WasmCaller caller, string text, int addressPointer, int sizePointer)
    {
        var size = Encoding.UTF8.GetByteCount(text);
        var address = 0;
        if (size > 0)
        {
            address = Exports.Allocate(size);
            var span = Memory(caller).Span;
            if (address == 0 || (ulong)(uint)address + (uint)size > (ulong)span.Length) return WasmResult.InvalidMemoryAccess;
            Encoding.UTF8.GetBytes(text, span.Slice(address, size));
        }
        return WriteAddressAndSize(caller, address, size, addressPointer, sizePointer);
    }

    private WasmResult WriteAddressAndSize(WasmCaller caller, int address, int size, int addressPointer, int sizePointer)
    {
        var memory = Memory(caller);
        if (!GuestMemory.TryWriteUInt32(memory, addressPointer, (uint)address)) return WasmResult.InvalidMemoryAccess;
        if (!GuestMemory.TryWriteUInt32(memory, sizePointer, (uint)size)) return WasmResult.InvalidMemoryAccess;
        return WasmResult.Ok;
    }

    public void Log(ProxyLogLevel level, string message) => Plugin.WriteGuestLog(level, message);

    private string MemoryUse() =>
        Instance.GetMemory() is { } memory ? $" (memory {memory.PageCount} of {memory.MaxPageCount} pages)" : "";

    private static string Describe(Exception failure) => ProxyWasi.DescribeExit(failure) ?? failure switch
    {
        WasmTrapException trap => $"trap {trap.Kind}: {trap.Message}",
        _ => $"{failure.GetType().Name}: {failure.Message}",
    };
}
