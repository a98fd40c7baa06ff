using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Testing;

/// <summary>The project's own WebAssembly engine, which the harness uses unless told otherwise.</summary>
internal static class DefaultEngine
{
    // One engine for all harnesses: it holds no per-module state.
    private static readonly WasmEngine Shared = new();

    public static IWasmEngine Create() => Shared;
}
