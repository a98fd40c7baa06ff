using System.Diagnostics;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// One instance: the state that a module's shared compiled code works on. The
/// public fields are read by compiled code; hosts use the <see cref="IWasmInstance"/> members.
/// </summary>
public sealed class WasmInstance : IWasmInstance
{
    public MemoryInstance? Memory;
    public GlobalCell[] Globals = [];
    public TableInstance[] Tables = [];
    /// <summary>Every function slot, imports first.</summary>
    public FuncRef[] Functions = [];
    /// <summary>The host delegate bound to each function import (by function index), else null.</summary>
    public Delegate?[] HostDelegates = [];
    public object?[]?[] ElementSegments = [];
    public byte[]?[] DataSegments = [];

    public int Depth;
    public int MaxDepth;

    /// <summary>For the stand-in owner of a host function: the instance that imported it, and its name.</summary>
    public WasmInstance? HostCaller;
    public string? HostName;

    /// <summary>
    /// Fuel left: charged one unit per function entry and loop iteration; long.MaxValue when
    /// unlimited. A passed deadline drives it negative (from a timer), so compiled code makes
    /// one decrement-and-test for both limits and only ever leaves that path by throwing.
    /// </summary>
    public long Fuel = long.MaxValue;

    private bool _fuelLimited;
    private long _deadlineTimestamp; // 0 = none
    private Timer? _deadlineTimer;
    private readonly object _budgetLock = new();

    internal WasmInstance(Compilation.CompiledModule module, InstanceLimits limits)
    {
        CompiledModule = module;
        Limits = limits;
        MaxDepth = limits.MaxCallDepth;
    }

    internal Compilation.CompiledModule CompiledModule { get; }
    internal InstanceLimits Limits { get; }
    internal Dictionary<string, object> Exports { get; } = new(StringComparer.Ordinal);

    public IWasmModule Module => CompiledModule;

    public TDelegate? GetFunction<TDelegate>(string name) where TDelegate : Delegate =>
        Exports.GetValueOrDefault(name) is FuncRef f ? (TDelegate)Compilation.EntryPoints.CreateDelegate(f, typeof(TDelegate)) : null;

    public IWasmFunction? GetFunction(string name) =>
        Exports.GetValueOrDefault(name) is FuncRef f ? new ExportedFunction(f) : null;

    public IWasmMemory? GetMemory(string name = "memory") => Exports.GetValueOrDefault(name) as MemoryInstance;
    public IWasmGlobal? GetGlobal(string name) => Exports.GetValueOrDefault(name) as GlobalCell;
    public IWasmTable? GetTable(string name) => Exports.GetValueOrDefault(name) as TableInstance;

    /// <summary>The engine object behind an export (FuncRef, MemoryInstance, TableInstance, GlobalCell), for linking.</summary>
    public object? GetExport(string name) => Exports.GetValueOrDefault(name);

    public void SetBudget(long? fuel, TimeSpan? deadline)
    {
        lock (_budgetLock)
        {
            _fuelLimited = fuel.HasValue;
            Fuel = fuel is { } f ? Math.Max(0, f) : long.MaxValue;
            if (deadline is { } d)
            {
                var due = d < TimeSpan.Zero ? TimeSpan.Zero : d;
                _deadlineTimestamp = Stopwatch.GetTimestamp() + Math.Max(1, (long)(due.TotalSeconds * Stopwatch.Frequency));
                _deadlineTimer ??= new Timer(OnDeadlineTimer, new WeakReference<WasmInstance>(this), Timeout.Infinite, Timeout.Infinite);
                // Keeps firing until the stop sticks: compiled code may overwrite one store with its own decrement.
                _deadlineTimer.Change(due, TimeSpan.FromMilliseconds(10));
            }
            else
            {
                _deadlineTimestamp = 0;
                _deadlineTimer?.Change(Timeout.Infinite, Timeout.Infinite);
            }
        }
    }

    private static void OnDeadlineTimer(object? state)
    {
        if (!((WeakReference<WasmInstance>)state!).TryGetTarget(out var instance)) return;
        lock (instance._budgetLock)
        {
            if (instance._deadlineTimestamp == 0 || instance.Fuel < 0)
            {
                instance._deadlineTimer?.Change(Timeout.Infinite, Timeout.Infinite);
                return;
            }
            if (Stopwatch.GetTimestamp() >= instance._deadlineTimestamp) instance.Fuel = long.MinValue / 2;
        }
    }

    /// <summary>True once a deadline set by <see cref="SetBudget"/> has passed.</summary>
    internal bool DeadlinePassed
    {
        get
        {
            var deadline = Volatile.Read(ref _deadlineTimestamp);
            return deadline != 0 && Stopwatch.GetTimestamp() >= deadline;
        }
    }

    /// <summary>The trap for a negative <see cref="Fuel"/>: the deadline passed, or the fuel ran out.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public Exception BudgetExhausted()
    {
        Fuel = long.MinValue / 2;
        if (_deadlineTimestamp != 0 && Stopwatch.GetTimestamp() >= _deadlineTimestamp)
            return new WasmTrapException(TrapKind.DeadlineExceeded, "deadline exceeded");
        return new WasmTrapException(TrapKind.OutOfFuel, "all fuel consumed");
    }
}
