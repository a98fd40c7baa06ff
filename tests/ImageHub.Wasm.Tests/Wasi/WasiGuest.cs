using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Tests.Wasi;

/// <summary>Calls a <see cref="WasiHost"/>'s functions the way a guest would, through the registered imports.</summary>
internal sealed class WasiGuest
{
    public WasiGuest(WasiOptions options, string module = WasiModuleNames.Preview1, int memoryBytes = 65536)
    {
        Host = new WasiHost(options);
        Imports = Host.AddTo(new WasmImports());
        Memory = new ArrayMemory(memoryBytes);
        Caller = new WasmCaller(new MemoryOnlyInstance(Memory));
        Module = module;
    }

    public WasiHost Host { get; }
    public WasmImports Imports { get; }
    public ArrayMemory Memory { get; }
    public WasmCaller Caller { get; }
    public string Module { get; }

    public TDelegate Function<TDelegate>(string name) where TDelegate : Delegate =>
        Assert.IsType<TDelegate>(Imports.Resolve(Module, name));

    public WasiErrno Call(string name, params int[] args)
    {
        var function = Imports.Resolve(Module, name) as Delegate ?? throw new InvalidOperationException(name);
        var withCaller = function.Method.GetParameters().FirstOrDefault()?.ParameterType == typeof(WasmCaller)
            || function.GetType().GetGenericArguments().FirstOrDefault() == typeof(WasmCaller);
        object?[] arguments = withCaller ? [Caller, .. args.Cast<object>()] : [.. args.Cast<object>()];
        return (WasiErrno)(int)function.DynamicInvoke(arguments)!;
    }

    /// <summary>Writes an iovec array at <paramref name="at"/> for (address, length) pairs.</summary>
    public void WriteIovecs(uint at, params (uint Address, uint Length)[] buffers)
    {
        for (var i = 0; i < buffers.Length; i++)
        {
            Memory.WriteUInt32(at + (uint)(8 * i), buffers[i].Address);
            Memory.WriteUInt32(at + (uint)(8 * i) + 4, buffers[i].Length);
        }
    }
}
