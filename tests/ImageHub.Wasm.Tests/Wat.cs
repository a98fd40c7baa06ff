using ImageHub.Testing;

namespace ImageHub.Wasm.Tests;

/// <summary>WebAssembly text → a compiled module or a running instance on our engine.</summary>
public static class Wat
{
    public static byte[] ToWasm(string wat) => WatCompiler.ToWasm(wat);

    public static IWasmModule Compile(string wat) => new WasmEngine().Compile(ToWasm(wat));

    public static IWasmInstance Instantiate(string wat, WasmImports? imports = null, InstanceLimits? limits = null) =>
        Compile(wat).Instantiate(imports ?? new WasmImports(), limits);
}
