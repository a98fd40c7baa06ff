using System.Diagnostics;

namespace ImageHub.Quota.Bench;

/// <summary>The result of one case: decisions per second and the latency distribution.</summary>
internal sealed record LoadResult(string Case, long Decisions, long Allowed, long Errors, TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs)
{
    public double PerSecond => Decisions / Elapsed.TotalSeconds;

    /// <summary>CPU of this process (the client; for HTTP cases with wrk, the service) and of Redis, per decision.</summary>
    public double ProcessCpuMicroseconds { get; init; }
    public double RedisCpuMicroseconds { get; init; }

    public LoadResult WithCpu((TimeSpan Service, TimeSpan Redis) before, (TimeSpan Service, TimeSpan Redis) after) => this with
    {
        ProcessCpuMicroseconds = (after.Service - before.Service).TotalMicroseconds / Math.Max(1, Decisions),
        RedisCpuMicroseconds = (after.Redis - before.Redis).TotalMicroseconds / Math.Max(1, Decisions),
    };
}

/// <summary>
/// N clients, each calling one decision after another (closed loop) for a fixed time, after a
/// warm-up whose numbers are thrown away. Client i uses users i, i+N, i+2N, ... in turn.
/// </summary>
internal static class LoadRun
{
    /// <param name="decide">One decision for a user number: true if allowed. Throwing counts as an error.</param>
    public static async Task<LoadResult> RunAsync(string name, BenchOptions options, CpuMeter cpu, Func<int, Task<bool>> decide)
    {
        await Phase(options, options.Warmup, decide, record: false);
        var before = cpu.Read();
        var result = await Phase(options, options.Duration, decide, record: true, name);
        return result.WithCpu(before, cpu.Read());
    }

    private static async Task<LoadResult> Phase(BenchOptions options, TimeSpan length, Func<int, Task<bool>> decide, bool record, string name = "")
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Clients).Select(client => Task.Run(async () =>
        {
            var latencies = new List<long>(record ? 200_000 : 0);
            long allowed = 0, errors = 0;
            var user = client;
            while (true)
            {
                var before = Stopwatch.GetTimestamp();
                if (before >= stopAt) break;
                try
                {
                    if (await decide(user)) allowed++;
                }
                catch (Exception)
                {
                    errors++;
                }
                if (record) latencies.Add(Stopwatch.GetTimestamp() - before);
                user = (user + options.Clients) % options.Users;
            }
            return (latencies, allowed, errors);
        })).ToArray();
        var results = await Task.WhenAll(workers);
        var elapsed = started.Elapsed;
        if (!record) return null!;

        var all = results.SelectMany(r => r.latencies).ToArray();
        Array.Sort(all);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Percentile(double p) => all.Length == 0 ? 0 : Ms(all[Math.Min(all.Length - 1, (int)(p * all.Length))]);
        return new LoadResult(name, all.Length, results.Sum(r => r.allowed), results.Sum(r => r.errors), elapsed,
            Percentile(0.50), Percentile(0.99), all.Length == 0 ? 0 : Ms(all[^1]));
    }
}
