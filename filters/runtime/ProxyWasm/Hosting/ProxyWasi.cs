using ImageHub.ProxyWasm.Abi;
using ImageHub.Wasm;
using ImageHub.Wasm.Wasi;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// The WASI preview1 functions proxy-wasm modules import (Rust and TinyGo use them for
/// stdout, clocks and randomness; AssemblyScript for <c>proc_exit</c>), answered by the
/// engine's WASI host the way proxy-wasm-cpp-host answers them: stdout and stderr lines go
/// to the plugin's log (info and error), the clock is the host's, there are no files, and
/// <c>proc_exit</c> ends the callback as a failure of the filter.
/// </summary>
internal static class ProxyWasi
{
    public static void Register(WasmImports imports, PluginReplica replica, IWasmModule module)
    {
        var wasi = new WasiHost(new WasiOptions
        {
            Stdout = WasiOutput.ToLines(line => replica.Log(ProxyLogLevel.Info, line)),
            Stderr = WasiOutput.ToLines(line => replica.Log(ProxyLogLevel.Error, line)),
            Clock = replica.Host.Clock,
            Environment = replica.Plugin.Options.Environment,
        });
        wasi.AddTo(imports);
        WasiUnsupported.AddStubs(imports, module);
    }

    /// <summary>Whether a WASI import can be linked: every preview1 function with its standard signature.</summary>
    public static bool Provides(ImportDescriptor import) =>
        WasiModuleNames.IsWasi(import.Module) && WasiFunctionSignatures.Of(import.Name) is { } signature && signature.Equals(import.Signature);

    /// <summary>Names <c>proc_exit</c> in a failure, however the engine wrapped it.</summary>
    public static string? DescribeExit(Exception failure) =>
        WasiExitException.Find(failure) is { } exit ? $"the filter called proc_exit({exit.ExitCode})" : null;
}
