using System.Diagnostics;

namespace ImageHub.Quota.Bench;

/// <summary>The result of one case: decisions per second and the latency distribution.</summary>
internal sealed record LoadResult(string Case, long Decisions, long Allowed, long Errors, TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs)
{
    public double PerSecond => Decisions / Elapsed.TotalSeconds;
}

/// <summary>
/// N clients, each calling one decision after another (closed loop) for a fixed time, after a
/// warm-up whose numbers are thrown away. Client i uses users i, i+N, i+2N, ... in turn.
/// </summary>
internal static class LoadRun
{
    /// <param name="decide">One decision for a user number: true if allowed. Throwing counts as an error.</param>
    public static async Task<LoadResult> RunAsync(string name, BenchOptions options, Func<int, Task<bool>> decide)
    {
        await Phase(options, options.Warmup, decide, record: false);
        return await Phase(options, options.Duration, decide, record: true, name);
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
