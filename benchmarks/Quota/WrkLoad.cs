using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageHub.Quota.Bench;

/// <summary>
/// Drives the HTTP cases with wrk (the Debian package): a C load generator in its own process
/// costs far less CPU than HttpClient in ours, so on a small machine the numbers describe the
/// service rather than the client. Each request names the next user in turn.
/// </summary>
internal static partial class WrkLoad
{
    public static bool Available => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "wrk")));

    public static async Task<LoadResult> RunAsync(string name, BenchOptions options, CpuMeter cpu, string baseUrl)
    {
        var script = Path.Combine(Path.GetTempPath(), $"imagehub-quota-bench-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, $$"""
            local n = 0
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            request = function()
              n = n + 1
              return wrk.format(nil, nil, nil, '{"tenant":"bench","user":"u' .. (n % {{options.Users}}) .. '","cost":1}')
            end
            """);
        try
        {
            var url = baseUrl.TrimEnd('/') + "/v1/quota/consume";
            var threads = Math.Max(1, Math.Min(Environment.ProcessorCount, options.Clients)).ToString(CultureInfo.InvariantCulture);
            await Wrk(["-t", threads, "-c", options.Clients.ToString(CultureInfo.InvariantCulture), "-d", $"{options.Warmup.TotalSeconds:0}s", "-s", script, url]);
            var before = cpu.Read();
            var output = await Wrk(["-t", threads, "-c", options.Clients.ToString(CultureInfo.InvariantCulture), "-d", $"{options.Duration.TotalSeconds:0}s",
                "--latency", "-s", script, url]);
            return Parse(name, output, options.Duration).WithCpu(before, cpu.Read());
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<string> Wrk(string[] arguments)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {errors}{output}");
        return output;
    }

    private static LoadResult Parse(string name, string output, TimeSpan duration)
    {
        double Number(string pattern) => Regex.Match(output, pattern) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        double Latency(string pattern)
        {
            var m = Regex.Match(output, pattern);
            if (!m.Success) return double.NaN;
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, _ => double.NaN };
        }

        var requests = (long)Number(@"(\d+) requests in");
        var elapsed = Number(@"requests in ([\d.]+)s");
        var errors = (long)Number(@"Non-2xx or 3xx responses: (\d+)") + (long)Regex.Matches(output, @"(?:connect|read|write|timeout) (\d+)")
            .Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return new LoadResult(name + " (wrk)", requests, Allowed: -1, errors, elapsed > 0 ? TimeSpan.FromSeconds(elapsed) : duration,
            Latency(@"50%\s+([\d.]+)(us|ms|s)"), Latency(@"99%\s+([\d.]+)(us|ms|s)"),
            Latency(@"Latency\s+[\d.]+\w+\s+[\d.]+\w+\s+([\d.]+)(us|ms|s)"));
    }
}
