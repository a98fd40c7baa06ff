namespace ImageHub.Wasm;

/// <summary>Why a running module stopped.</summary>
public enum TrapKind
{
    Unreachable,
    OutOfBoundsMemory,
    OutOfBoundsTable,
    IntegerOverflow,
    IntegerDivideByZero,
    InvalidConversionToInteger,
    IndirectCallTypeMismatch,
    UninitializedElement,
    CallStackExhausted,
    OutOfFuel,
    DeadlineExceeded,
    /// <summary>A host function threw; the inner exception says why.</summary>
    HostFunctionFailed,
}

/// <summary>A WebAssembly trap. Never a crash of the process: callers catch this one type.</summary>
public class WasmTrapException(TrapKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public TrapKind Kind { get; } = kind;
}

/// <summary>Whether a rejected module was not well-formed binary or failed validation.</summary>
public enum WasmFormatProblem { Malformed, Invalid }

/// <summary>A module rejected by the decoder or validator.</summary>
public class WasmFormatException(WasmFormatProblem problem, string section, long offset, string reason)
    : Exception($"{(problem == WasmFormatProblem.Malformed ? "malformed" : "invalid")} module: {reason} (section {section}, byte offset 0x{offset:x})")
{
    public WasmFormatProblem Problem { get; } = problem;
    public string Section { get; } = section;
    public long Offset { get; } = offset;
    public string Reason { get; } = reason;
}

/// <summary>Instantiation failed because imports are missing or do not match.</summary>
public class WasmLinkException(string message, IReadOnlyList<ImportDescriptor>? unresolved = null) : Exception(message)
{
    public IReadOnlyList<ImportDescriptor> Unresolved { get; } = unresolved ?? [];
}
