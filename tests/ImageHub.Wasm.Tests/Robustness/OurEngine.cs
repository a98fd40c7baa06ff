namespace ImageHub.Wasm.Tests.Robustness;

/// <summary>The engine these tests hold to their promises.</summary>
internal static class OurEngine
{
    public static IWasmEngine Create() => new WasmEngine();
}
