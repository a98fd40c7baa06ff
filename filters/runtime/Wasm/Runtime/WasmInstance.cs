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

    /// <summary>Units left before the budget must be looked at again (see <see cref="OnFuelExhausted"/>).</summary>
    public long Fuel = long.MaxValue;

    private const long DeadlineCheckInterval = 20_000;
    private bool _fuelLimited;
    private long _fuelReserve;
    private long _deadlineTimestamp; // 0 = none

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
        _fuelLimited = fuel.HasValue;
        _fuelReserve = Math.Max(0, fuel ?? 0);
        _deadlineTimestamp = deadline is { } d
            ? Stopwatch.GetTimestamp() + Math.Max(1, (long)(d.TotalSeconds * Stopwatch.Frequency))
            : 0;
        Refill();
    }

    private void Refill()
    {
        long chunk = _deadlineTimestamp != 0 ? DeadlineCheckInterval : long.MaxValue;
        if (_fuelLimited)
        {
            long take = Math.Min(chunk, _fuelReserve);
            _fuelReserve -= take;
            Fuel = take;
        }
        else Fuel = chunk;
    }

    /// <summary>Called when <see cref="Fuel"/> went negative: trap, or hand out the next chunk.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public void OnFuelExhausted()
    {
        if (_deadlineTimestamp != 0 && Stopwatch.GetTimestamp() >= _deadlineTimestamp)
        {
            Fuel = 0;
            throw new WasmTrapException(TrapKind.DeadlineExceeded, "deadline exceeded");
        }
        if (_fuelLimited && _fuelReserve == 0)
        {
            Fuel = 0;
            throw new WasmTrapException(TrapKind.OutOfFuel, "all fuel consumed");
        }
        Refill();
        Fuel--;
    }
}
