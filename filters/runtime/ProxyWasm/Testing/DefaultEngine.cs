using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Testing;

/// <summary>The project's own WebAssembly engine, which the harness uses unless told otherwise.</summary>
internal static class DefaultEngine
{
    public static IWasmEngine Create() =>
        throw new InvalidOperationException("no WebAssembly engine is available yet; set FilterHarness.EngineFactory");
}
