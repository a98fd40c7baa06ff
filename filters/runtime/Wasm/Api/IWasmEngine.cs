namespace ImageHub.Wasm;

/// <summary>
/// The engine-neutral entry point. The Proxy-Wasm host only talks to these
/// interfaces, so a native engine could replace ours without touching the host.
/// </summary>
public interface IWasmEngine
{
    /// <summary>
    /// Decodes, validates and compiles a binary module once; the result is
    /// instantiated many times. Throws <see cref="WasmFormatException"/> naming the
    /// section, byte offset and reason when the bytes are malformed or invalid.
    /// </summary>
    IWasmModule Compile(ReadOnlyMemory<byte> bytes);
}

/// <summary>A compiled module: code shared by all of its instances.</summary>
public interface IWasmModule
{
    IReadOnlyList<ImportDescriptor> Imports { get; }
    IReadOnlyList<ExportDescriptor> Exports { get; }

    /// <summary>
    /// Creates an instance with its own memory, tables and globals. Throws
    /// <see cref="WasmLinkException"/> listing every import that is missing or has
    /// the wrong type, and <see cref="WasmTrapException"/> when the start function
    /// or a segment initialisation traps.
    /// </summary>
    IWasmInstance Instantiate(WasmImports imports, InstanceLimits? limits = null);
}

/// <summary>An instantiated module: its state plus bound exports.</summary>
public interface IWasmInstance
{
    IWasmModule Module { get; }

    /// <summary>
    /// A typed, fast entry point to an exported function, e.g.
    /// <c>GetFunction&lt;Func&lt;int, int, int&gt;&gt;("add")</c> (i32→int, i64→long,
    /// f32→float, f64→double). Null when there is no such export; throws
    /// <see cref="WasmLinkException"/> when the delegate does not match the signature.
    /// </summary>
    TDelegate? GetFunction<TDelegate>(string name) where TDelegate : Delegate;

    /// <summary>An untyped entry point, for tools and the spec-test runner.</summary>
    IWasmFunction? GetFunction(string name);

    IWasmMemory? GetMemory(string name = "memory");
    IWasmGlobal? GetGlobal(string name);
    IWasmTable? GetTable(string name);

    /// <summary>
    /// Limits the calls made from now on: at most <paramref name="fuel"/> units
    /// (counted at calls and loop back-edges) and/or until <paramref name="deadline"/>
    /// passes; null lifts that limit. Exceeding one traps with
    /// <see cref="TrapKind.OutOfFuel"/> or <see cref="TrapKind.DeadlineExceeded"/>.
    /// </summary>
    void SetBudget(long? fuel, TimeSpan? deadline);
}

/// <summary>An exported function called with boxed values (slow path).</summary>
public interface IWasmFunction
{
    FunctionSignature Signature { get; }

    /// <summary>Arguments and results are int, long, float, double or references (null for ref.null).</summary>
    object?[] Invoke(params object?[] arguments);
}

/// <summary>A mutable or immutable global.</summary>
public interface IWasmGlobal
{
    WasmValueType Type { get; }
    bool Mutable { get; }
    object? Value { get; set; }
}

/// <summary>A table of references.</summary>
public interface IWasmTable
{
    WasmValueType ElementType { get; }
    int Size { get; }
    object? this[int index] { get; set; }
    /// <summary>Returns the old size, or -1 when growing would pass the maximum.</summary>
    int Grow(int delta, object? initial);
}

/// <summary>Per-instance resource limits.</summary>
public sealed record InstanceLimits
{
    /// <summary>Upper bound on linear memory, in 64 KiB pages (on top of the module's own maximum).</summary>
    public int MaxMemoryPages { get; init; } = 65536;

    /// <summary>Upper bound on table elements.</summary>
    public int MaxTableElements { get; init; } = 10_000_000;

    /// <summary>
    /// Bytes of the .NET stack that nested wasm calls may use below each entry from .NET before a
    /// <see cref="TrapKind.CallStackExhausted"/> trap (about 10 000 frames of a small function; compiled
    /// functions take roughly 50 bytes plus 8-16 per local). The trap comes earlier when the thread's
    /// own stack runs short: the engine never lets the .NET stack overflow.
    /// </summary>
    public int MaxStackBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Fuel for instantiation: the module's start function (and what it calls) traps with
    /// <see cref="TrapKind.OutOfFuel"/> past it. Null: unlimited. Calls after instantiation are
    /// limited by <see cref="IWasmInstance.SetBudget"/> instead.
    /// </summary>
    public long? StartFuel { get; init; }

    /// <summary>
    /// Wall-clock limit for the module's start function; past it instantiation traps with
    /// <see cref="TrapKind.DeadlineExceeded"/>. Null: none.
    /// </summary>
    public TimeSpan? StartDeadline { get; init; }
}
