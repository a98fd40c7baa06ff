using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// Creates trap exceptions. Compiled code calls these out of line so the hot
/// paths stay small: <c>call Traps.X; throw</c> or a helper that never returns.
/// </summary>
public static class Traps
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Unreachable() => new WasmTrapException(TrapKind.Unreachable, "unreachable executed");

    /// <summary>For compiled code's bounds checks: <c>call; throw</c> (see FunctionCompiler.EmitAddress).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception OutOfBoundsMemoryTrap() => new WasmTrapException(TrapKind.OutOfBoundsMemory, "out of bounds memory access");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void OutOfBoundsMemory() => throw new WasmTrapException(TrapKind.OutOfBoundsMemory, "out of bounds memory access");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void OutOfBoundsTable(string what = "out of bounds table access") => throw new WasmTrapException(TrapKind.OutOfBoundsTable, what);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void DivideByZero() => throw new WasmTrapException(TrapKind.IntegerDivideByZero, "integer divide by zero");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void IntegerOverflow() => throw new WasmTrapException(TrapKind.IntegerOverflow, "integer overflow");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void InvalidConversion() => throw new WasmTrapException(TrapKind.InvalidConversionToInteger, "invalid conversion to integer");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void UninitializedElement() => throw new WasmTrapException(TrapKind.UninitializedElement, "uninitialized element");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void IndirectCallTypeMismatch() => throw new WasmTrapException(TrapKind.IndirectCallTypeMismatch, "indirect call type mismatch");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void CallStackExhausted() => throw new WasmTrapException(TrapKind.CallStackExhausted, "call stack exhausted");

    /// <summary>Wraps what a host function threw; traps (and their subclasses, e.g. a WASI exit) pass through.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception FromHost(Exception e, string import) =>
        e as WasmTrapException ?? new WasmTrapException(TrapKind.HostFunctionFailed, $"host function {import} failed: {e.Message}", e);
}
