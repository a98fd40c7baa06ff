using System.Runtime.CompilerServices;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// Creates trap exceptions, out of line. Callers write <c>throw Traps.X()</c> so the
/// JIT sees a throw: the block is cold and no register has to survive the call.
/// </summary>
public static class Traps
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Unreachable() => new WasmTrapException(TrapKind.Unreachable, "unreachable executed");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception OutOfBoundsMemory() => new WasmTrapException(TrapKind.OutOfBoundsMemory, "out of bounds memory access");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception OutOfBoundsTable(string what = "out of bounds table access") => new WasmTrapException(TrapKind.OutOfBoundsTable, what);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception DivideByZero() => new WasmTrapException(TrapKind.IntegerDivideByZero, "integer divide by zero");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception IntegerOverflow() => new WasmTrapException(TrapKind.IntegerOverflow, "integer overflow");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception InvalidConversion() => new WasmTrapException(TrapKind.InvalidConversionToInteger, "invalid conversion to integer");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception UninitializedElement() => new WasmTrapException(TrapKind.UninitializedElement, "uninitialized element");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception IndirectCallTypeMismatch() => new WasmTrapException(TrapKind.IndirectCallTypeMismatch, "indirect call type mismatch");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception CallStackExhausted() => new WasmTrapException(TrapKind.CallStackExhausted, "call stack exhausted");

    /// <summary>Wraps what a host function threw; traps (and their subclasses, e.g. a WASI exit) pass through.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception FromHost(Exception e, string import) =>
        e as WasmTrapException ?? new WasmTrapException(TrapKind.HostFunctionFailed, $"host function {import} failed: {e.Message}", e);
}
