namespace ImageHub.Wasm;

/// <summary>
/// The values offered to a module's imports, keyed by (module, name).
/// Host functions are typed .NET delegates: int↔i32, long↔i64, float↔f32,
/// double↔f64, void or a value for the result. A delegate whose first parameter
/// is <see cref="WasmCaller"/> receives the calling instance, which is how a
/// hostcall reaches the guest's memory.
/// </summary>
public sealed class WasmImports
{
    private readonly Dictionary<(string Module, string Name), object> _entries = new();
    private readonly Dictionary<string, IWasmInstance> _instances = new();

    public WasmImports Function(string module, string name, Delegate implementation) => Set(module, name, implementation);

    public WasmImports Memory(string module, string name, IWasmMemory memory) => Set(module, name, memory);

    public WasmImports Global(string module, string name, IWasmGlobal global) => Set(module, name, global);

    public WasmImports Table(string module, string name, IWasmTable table) => Set(module, name, table);

    /// <summary>Offers every export of <paramref name="instance"/> under <paramref name="module"/> (the spec tests' <c>register</c>).</summary>
    public WasmImports Instance(string module, IWasmInstance instance)
    {
        _instances[module] = instance;
        return this;
    }

    /// <summary>What is offered for (module, name): a Delegate, IWasmMemory, IWasmGlobal, IWasmTable, an engine-internal export of a registered instance, or null.</summary>
    public object? Resolve(string module, string name) =>
        _entries.TryGetValue((module, name), out var value) ? value : null;

    /// <summary>The instance registered under <paramref name="module"/>, if any.</summary>
    public IWasmInstance? RegisteredInstance(string module) => _instances.GetValueOrDefault(module);

    private WasmImports Set(string module, string name, object value)
    {
        _entries[(module, name)] = value;
        return this;
    }
}

/// <summary>The instance that called a host function.</summary>
public readonly struct WasmCaller(IWasmInstance instance)
{
    public IWasmInstance Instance { get; } = instance;

    /// <summary>The caller's exported memory named "memory"; traps when it has none.</summary>
    public IWasmMemory Memory => Instance.GetMemory()
        ?? throw new WasmTrapException(TrapKind.HostFunctionFailed, "the calling module exports no memory named \"memory\"");
}
