using System.Diagnostics;

namespace ImageHub.Testing;

/// <summary>
/// Turns WebAssembly text into a binary with wabt's wat2wasm (Debian package wabt), so test
/// modules live next to their tests as readable text, including modules an AssemblyScript
/// filter cannot express. Compiled into each test project that needs it (linked source).
/// </summary>
public static class WatCompiler
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
}
