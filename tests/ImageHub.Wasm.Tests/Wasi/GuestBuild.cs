using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ImageHub.Wasm.Tests;

/// <summary>
/// Builds the test guests from this repository's sources: C with clang-14/lld-14 (how the
/// project's guests and benchmark kernels are built) and WAT with wabt's wat2wasm. Results
/// are cached by content in the temp folder, so repeated runs do not pay for them again.
/// </summary>
internal static class GuestBuild
{
    private static readonly string[] ClangFlags = ["--target=wasm32", "-O2", "-nostdlib", "-Wl,--no-entry"];

    /// <summary>The repository root: the folder that holds ImageHub.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Compiles a C file (path from the repo root) to a wasm32 module.</summary>
    public static byte[] C(string relativePath, params string[] extraFlags) =>
        Build(relativePath, "clang-14", [.. ClangFlags, .. extraFlags], "apt-get install clang-14 lld-14",
            (source, output) => ["-o", output, source]);

    /// <summary>Assembles a .wat file (path from the repo root).</summary>
    public static byte[] Wat(string relativePath) =>
        Build(relativePath, "wat2wasm", [], "apt-get install wabt", (source, output) => [source, "-o", output]);

    private static byte[] Build(string relativePath, string tool, string[] flags, string install,
        Func<string, string, string[]> inputOutput)
    {
        var source = Path.Combine(RepoRoot, relativePath);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            tool + '\n' + string.Join('\n', flags) + '\n' + string.Join('\n', Inputs(source).Select(File.ReadAllText)))))[..16];
        var cacheDir = Path.Combine(Path.GetTempPath(), "imagehub-wasm-tests");
        var output = Path.Combine(cacheDir, $"{Path.GetFileNameWithoutExtension(source)}-{key}.wasm");
        if (File.Exists(output)) return File.ReadAllBytes(output);

        Directory.CreateDirectory(cacheDir);
        var partial = $"{output}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in flags.Concat(inputOutput(source, partial))) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"{tool} is needed to build the test guests: {install} (scripts/test installs it)");
        }
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed on {relativePath}:\n{errors.Result}");
        File.Move(partial, output, overwrite: true);
        return File.ReadAllBytes(output);
    }

    // The source and the headers next to it: a header change must rebuild.
    private static IEnumerable<string> Inputs(string source) =>
        new[] { source }.Concat(Directory.GetFiles(Path.GetDirectoryName(source)!, "*.h").Order());

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ImageHub.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (no ImageHub.sln above the test binaries)");
    }
}
