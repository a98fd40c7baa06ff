using System.Diagnostics;
using System.Text;

namespace ImageHub.Walkthrough.Tests;

/// <summary>Runs one walkthrough block with bash, as a reader would paste it, and keeps its output.</summary>
public sealed class ShellRunner(string workingDirectory, IReadOnlyDictionary<string, string> environment)
{
    public sealed record Outcome(int ExitCode, string Output, bool TimedOut);

    public async Task<Outcome> RunAsync(string script, TimeSpan timeout)
    {
        using var process = new Process { StartInfo = StartInfo(script) };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output) return new Outcome(-1, output.ToString(), TimedOut: true);
        }
        process.WaitForExit(); // drains the redirected output
        lock (output) return new Outcome(process.ExitCode, output.ToString(), TimedOut: false);
    }

    /// <summary>Starts a long-running block (the sidecar) with its output going to <paramref name="logPath"/>.</summary>
    public Process Start(string script, string logPath)
    {
        var process = new Process { StartInfo = StartInfo(script), EnableRaisingEvents = true };
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Exited += (_, _) => { lock (log) log.Dispose(); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private ProcessStartInfo StartInfo(string script)
    {
        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -e: a failing command fails the step, as it would stop a careful reader.
        info.ArgumentList.Add("-euo");
        info.ArgumentList.Add("pipefail");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        // The test runs inside `dotnet test`; its MSBuild and VSTest settings must not leak into
        // the reader's commands (a nested dotnet test would pick them up).
        foreach (var name in info.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("DOTNET_HOST", StringComparison.OrdinalIgnoreCase) || name == "MSBuildSDKsPath" || name == "MSBuildExtensionsPath")
                info.Environment.Remove(name);
        }
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return info;
    }
}
