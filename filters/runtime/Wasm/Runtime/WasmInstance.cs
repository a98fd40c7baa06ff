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

    /// <summary>
    /// Compiled code calls <see cref="Guard"/>'s slow path when the address of its frame is below
    /// this (see <see cref="Guard.CheckStack"/>). Set for the calling thread by every entry from .NET;
    /// until then it makes every check take the slow path, which traps.
    /// </summary>
    public nuint StackLimit = nuint.MaxValue;

    /// <summary>The lowest stack address wasm may use: <see cref="InstanceLimits.MaxStackBytes"/> below the entry from .NET.</summary>
    public nuint StackFloor = nuint.MaxValue;

    /// <summary>The stack budget per entry from .NET (<see cref="InstanceLimits.MaxStackBytes"/>).</summary>
    public readonly nuint MaxStackBytes;

    /// <summary>For the stand-in owner of a host function: the instance that imported it, and its name.</summary>
    public WasmInstance? HostCaller;
    public string? HostName;

    /// <summary>
    /// Fuel left when <see cref="FuelLimited"/>: charged one unit per stack check (an entry of
    /// a function that calls or loops) and per loop iteration (see <see cref="Guard"/>). Only the thread running
    /// the instance touches it: the deadline is checked by reading the clock, not by a timer.
    /// </summary>
    public long Fuel;

    public bool FuelLimited;

    /// <summary>The Stopwatch timestamp of the deadline; long.MaxValue when there is none.</summary>
    public long DeadlineTimestamp = long.MaxValue;

    /// <summary>
    /// Polls (<see cref="Guard.Poll"/>) take the slow path once <see cref="DeadlineClock.Now"/>
    /// reaches this: the deadline, or <see cref="long.MinValue"/> under a fuel limit (every poll
    /// charges) and after the budget ran out (every poll traps).
    /// </summary>
    public long InterruptAt = long.MaxValue;

    /// <summary>The back-edges a loop takes before its first poll: none under a fuel limit (each is charged).</summary>
    public long LoopAllowance = Guard.LoopChunk - 1;

    /// <summary>Whether <see cref="DeadlineClock"/> watches this instance's deadline (from its first deadline on).</summary>
    internal bool Watched;

    /// <summary><see cref="DeadlineClock"/>'s reading, reached through the instance by compiled code.</summary>
    internal readonly DeadlineClock.Reading Clock = DeadlineClock.Shared;

    /// <summary>Deadlines at least this long are counted from <see cref="DeadlineClock"/> when it is ticking.</summary>
    private static readonly TimeSpan CoarseDeadlineMinimum = TimeSpan.FromMilliseconds(200);

    internal WasmInstance(Compilation.CompiledModule module, InstanceLimits limits)
    {
        CompiledModule = module;
        Limits = limits;
        MaxStackBytes = (nuint)Math.Max(0, limits.MaxStackBytes);
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
        FuelLimited = fuel.HasValue;
        Fuel = fuel is { } f ? Math.Max(f, 0) : 0;
        if (deadline is { } d)
        {
            var due = d < TimeSpan.Zero ? TimeSpan.Zero : d;
            // Reading the clock costs ~0.1 µs on some VMs, and hosts set a deadline per callback: a long
            // deadline counts from the ticking clock instead, which lags by about as much as the
            // loops that compare with it, so the two lags cancel out.
            long now = due >= CoarseDeadlineMinimum && DeadlineClock.Ticking ? DeadlineClock.Now : Stopwatch.GetTimestamp();
            DeadlineTimestamp = now + Math.Max(1, (long)Math.Min(due.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4));
            DeadlineClock.Arm(DeadlineTimestamp);
        }
        else DeadlineTimestamp = long.MaxValue;
        InterruptAt = FuelLimited ? long.MinValue : DeadlineTimestamp;
        LoopAllowance = FuelLimited ? 0 : Guard.LoopChunk - 1;
        if (FuelLimited) StackLimit = nuint.MaxValue;
        if (DeadlineTimestamp != long.MaxValue && !Watched) DeadlineClock.Watch(this);
    }

    /// <summary>True once a deadline set by <see cref="SetBudget"/> has passed.</summary>
    internal bool DeadlinePassed => DeadlineTimestamp != long.MaxValue && Stopwatch.GetTimestamp() >= DeadlineTimestamp;

    /// <summary>The trap for an exhausted budget: the deadline passed, or the fuel ran out. Later calls trap at once until <see cref="SetBudget"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public Exception BudgetExhausted()
    {
        InterruptAt = long.MinValue;
        StackLimit = nuint.MaxValue;
        if (FuelLimited) Fuel = Math.Min(Fuel, -1);
        if (DeadlinePassed)
            return new WasmTrapException(TrapKind.DeadlineExceeded, "deadline exceeded");
        return new WasmTrapException(TrapKind.OutOfFuel, "all fuel consumed");
    }
}
