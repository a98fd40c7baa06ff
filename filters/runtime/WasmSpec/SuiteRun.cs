using System.Diagnostics;
using System.Text.Json;

namespace ImageHub.Wasm.SpecRunner;

/// <summary>Runs every script and prints one line per file plus the closing "N passed, M failed" line.</summary>
internal sealed class SuiteRun(bool verbose)
{
    public int Run(List<string> files)
    {
        int passed = 0, failed = 0, skipped = 0;
        var scratch = Directory.CreateTempSubdirectory("wasm-spec-");
        try
        {
            foreach (var file in files)
            {
                string name = Path.GetFileName(file);
                if (name.StartsWith("simd", StringComparison.Ordinal))
                {
                    Console.WriteLine($"{name}: skipped (SIMD)");
                    continue;
                }
                var dir = Directory.CreateDirectory(Path.Combine(scratch.FullName, Path.GetFileNameWithoutExtension(file)));
                string json = Path.Combine(dir.FullName, "script.json");
                string? error = Wast2Json(file, json);
                if (error is not null)
                {
                    Console.WriteLine($"{name}: 0 passed, 1 failed (wast2json: {error})");
                    failed++;
                    continue;
                }
                var script = new ScriptRun(dir.FullName);
                using (var doc = JsonDocument.Parse(File.ReadAllBytes(json))) script.Run(doc.RootElement.GetProperty("commands"));
                passed += script.Passed;
                failed += script.Failed;
                skipped += script.Skipped;
                var line = $"{name}: {script.Passed} passed, {script.Failed} failed";
                if (script.Skipped > 0) line += $", {script.Skipped} skipped";
                Console.WriteLine(line);
                foreach (var failure in script.Failures.Take(verbose ? int.MaxValue : 5)) Console.WriteLine("    " + failure);
                if (!verbose && script.Failures.Count > 5) Console.WriteLine($"    ... {script.Failures.Count - 5} more (-v shows all)");
            }
        }
        finally { scratch.Delete(true); }
        Console.WriteLine(skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed");
        return failed > 0 ? 1 : 0;
    }

    private static string? Wast2Json(string wast, string json)
    {
        var psi = new ProcessStartInfo("wast2json", [wast, "-o", json]) { RedirectStandardError = true, RedirectStandardOutput = true };
        try
        {
            using var process = Process.Start(psi)!;
            string stderr = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : stderr.Split('\n').FirstOrDefault(l => l.Length > 0) ?? $"exit code {process.ExitCode}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "wast2json is not installed (Debian package wabt)";
        }
    }
}
