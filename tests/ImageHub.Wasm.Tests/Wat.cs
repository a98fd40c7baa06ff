using System.Diagnostics;

namespace ImageHub.Wasm.Tests;

/// <summary>
/// Turns WebAssembly text into a binary with wabt's wat2wasm (Debian package wabt),
/// so test modules live next to their tests as readable text.
/// </summary>
public static class Wat
{
    public static byte[] ToWasm(string wat)
    {
        var dir = Directory.CreateTempSubdirectory("wat-");
        try
        {
            string input = Path.Combine(dir.FullName, "module.wat");
            string output = Path.Combine(dir.FullName, "module.wasm");
            File.WriteAllText(input, wat);
            var psi = new ProcessStartInfo("wat2wasm", [input, "-o", output]) { RedirectStandardError = true };
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start wat2wasm");
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"wat2wasm failed: {errors}");
            return File.ReadAllBytes(output);
        }
        finally { dir.Delete(true); }
    }

    public static IWasmModule Compile(string wat) => new WasmEngine().Compile(ToWasm(wat));

    public static IWasmInstance Instantiate(string wat, WasmImports? imports = null, InstanceLimits? limits = null) =>
        Compile(wat).Instantiate(imports ?? new WasmImports(), limits);
}
