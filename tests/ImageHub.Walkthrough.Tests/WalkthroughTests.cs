using System.Diagnostics;
using ImageHub.Deployment;

namespace ImageHub.Walkthrough.Tests;

/// <summary>
/// filters/README.md cannot rot: its marked commands run in a temporary copy of the repository
/// (scaffold, build, unit-test, run in a sidecar, load new code without a restart, curl; then add
/// the filter to the running local deployment's chain, curl, replace it, delete it), and its links
/// into the source must point at lines that contain what they name.
/// </summary>
public sealed class WalkthroughTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly RepositoryLayout _layout = RepositoryLayout.Find();

    private string Walkthrough => File.ReadAllText(Path.Combine(_layout.Root, "filters", "README.md"));

    [Fact]
    public async Task The_walkthrough_commands_work_as_written()
    {
        var steps = WalkthroughDocument.Steps(Walkthrough);
        Assert.Contains(steps, s => s.Kind == StepKind.Start);
        Assert.Contains(steps, s => s.Kind == StepKind.File);

        using var sandbox = WalkthroughSandbox.Create(_layout);
        var port = FreePorts.Next();
        var adminPort = FreePorts.Next();
        var shell = new ShellRunner(sandbox.Root, new Dictionary<string, string>
        {
            ["NEW_FILTER_PORT"] = port.ToString(),
            ["NEW_FILTER_ADMIN_PORT"] = adminPort.ToString(),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        });
        var ports = new Dictionary<string, string> { ["10000"] = port.ToString(), ["9902"] = adminPort.ToString() };
        string WithPorts(string text) => ports.Aggregate(text, (t, p) => t.Replace(p.Key, p.Value));

        var started = new List<(Process Process, string Log)>();
        LocalDeployment? demo = null;
        var demoProgress = new List<string>();
        try
        {
            foreach (var step in steps)
            {
                switch (step.Kind)
                {
                    case StepKind.File:
                        var target = Path.Combine(sandbox.Root, step.Path!);
                        Assert.True(File.Exists(target), $"{step}: the walkthrough replaces {step.Path}, which the earlier steps did not create");
                        await File.WriteAllTextAsync(target, step.Body);
                        break;
                    case StepKind.Run:
                        var outcome = await shell.RunAsync(WithPorts(step.Body), StepTimeout);
                        var what = outcome.TimedOut ? $"did not finish within {StepTimeout.TotalMinutes} min" : $"exited with {outcome.ExitCode}";
                        Assert.True(outcome.ExitCode == 0, $"{step} {what}:\n{step.Body}\n{Tail(outcome.Output)}");
                        if (step.Expect is not null)
                            Assert.True(outcome.Output.Contains(WithPorts(step.Expect), StringComparison.Ordinal),
                                $"{step}: the output should contain \"{step.Expect}\":\n{Tail(outcome.Output)}");
                        if (step.Absent is not null)
                            Assert.False(outcome.Output.Contains(WithPorts(step.Absent), StringComparison.Ordinal),
                                $"{step}: the output should not contain \"{step.Absent}\":\n{Tail(outcome.Output)}");
                        break;
                    case StepKind.Demo:
                        // scripts/demo builds, then starts LocalDeployment on the README's fixed ports; the
                        // test starts the same LocalDeployment from what scripts/build built, on free ports,
                        // and points the later blocks' 8080 (sidecar) and 9901 (its admin) at them.
                        Assert.True(step.Body.Trim() == "./scripts/demo", $"{step}: the demo block must be exactly ./scripts/demo");
                        Assert.Contains("ImageHub.LocalDeployment.dll demo", await File.ReadAllTextAsync(Path.Combine(_layout.Root, "scripts", "demo")));
                        Assert.Null(demo);
                        var options = DeploymentOptions.Isolated() with { Progress = line => { lock (demoProgress) demoProgress.Add(line); } };
                        try { demo = await LocalDeployment.StartAsync(options, _layout); }
                        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
                        {
                            Assert.Fail($"{step}: the local deployment did not start:\n{string.Join('\n', demoProgress)}\n{e.Message}");
                        }
                        ports["8080"] = demo!.ListenerPort.ToString();
                        ports["9901"] = demo.AdminPort.ToString();
                        break;
                    case StepKind.Start:
                        var log = Path.Combine(sandbox.Root, $"started-{step.Line}.log");
                        var process = shell.Start(WithPorts(step.Body), log);
                        started.Add((process, log));
                        await WaitForAsync(step, process, log);
                        break;
                }
            }
        }
        finally
        {
            if (demo is not null)
            {
                await demo.DisposeAsync();
                try { Directory.Delete(demo.Options.DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
            foreach (var (process, _) in started)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
                process.Dispose();
            }
        }
    }

    private static async Task WaitForAsync(WalkthroughStep step, Process process, string log)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var text = ReadShared(log);
            if (text.Contains(step.Ready!, StringComparison.Ordinal)) return;
            if (process.HasExited) Assert.Fail($"{step} exited with {process.ExitCode} before printing \"{step.Ready}\":\n{Tail(text)}");
            await Task.Delay(200);
        }
        Assert.Fail($"{step} did not print \"{step.Ready}\" within {StartTimeout.TotalSeconds} s:\n{Tail(ReadShared(log))}");
    }

    [Fact]
    public void Links_into_the_source_point_at_the_lines_that_hold_what_they_name()
    {
        var links = WalkthroughDocument.SourceLinks(Walkthrough);
        Assert.True(links.Count >= 10, $"expected the tour's line links, found {links.Count}");
        var filters = Path.Combine(_layout.Root, "filters");
        var problems = new List<string>();
        foreach (var link in links)
        {
            var path = Path.GetFullPath(Path.Combine(filters, link.Path));
            if (!File.Exists(path)) { problems.Add($"README line {link.Line}: {link.Path} does not exist"); continue; }
            var lines = File.ReadAllLines(path);
            var range = lines.Skip(link.FirstLine - 1).Take(link.LastLine - link.FirstLine + 1);
            if (link.LastLine > lines.Length || link.FirstLine < 1 || link.FirstLine > link.LastLine)
                problems.Add($"README line {link.Line}: {link.Path} has {lines.Length} lines, the link says L{link.FirstLine}-L{link.LastLine}");
            else if (!range.Any(l => l.Contains(link.Name, StringComparison.Ordinal)))
            {
                var found = Array.FindIndex(lines, l => l.Contains(link.Name, StringComparison.Ordinal));
                problems.Add($"README line {link.Line}: \"{link.Name}\" is not in {link.Path}#L{link.FirstLine}-L{link.LastLine}" +
                    (found >= 0 ? $" (it is on line {found + 1})" : " (nor anywhere in the file)"));
            }
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Relative_links_name_files_that_exist()
    {
        var missing = System.Text.RegularExpressions.Regex.Matches(Walkthrough, @"\]\((?<path>[^)#:\s]+)(#[^)]*)?\)")
            .Select(m => m.Groups["path"].Value)
            .Where(p => !File.Exists(Path.Combine(_layout.Root, "filters", p)) && !Directory.Exists(Path.Combine(_layout.Root, "filters", p)))
            .ToList();
        Assert.True(missing.Count == 0, "links to missing files: " + string.Join(", ", missing));
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path)) return "";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static string Tail(string text, int lines = 40) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
