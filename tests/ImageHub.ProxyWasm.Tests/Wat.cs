using System.Diagnostics;

namespace ImageHub.ProxyWasm.Tests;

/// <summary>
/// Turns WebAssembly text into a binary with wabt's wat2wasm (Debian package wabt), for modules
/// an AssemblyScript filter cannot express (a start function that spins).
/// </summary>
internal static class Wat
{
    public static byte[] ToWasm(string wat)
    {
        var dir = Directory.CreateTempSubdirectory("wat-");
        try
        {
            var input = Path.Combine(dir.FullName, "module.wat");
            var output = Path.Combine(dir.FullName, "module.wasm");
            File.WriteAllText(input, wat);
            var psi = new ProcessStartInfo("wat2wasm", [input, "-o", output]) { RedirectStandardError = true };
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start wat2wasm");
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"wat2wasm failed: {errors}");
            return File.ReadAllBytes(output);
        }
        finally { dir.Delete(true); }
    }
}
