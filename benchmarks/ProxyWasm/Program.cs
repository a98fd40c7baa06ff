using System.Diagnostics;
using System.Globalization;
using ImageHub.Benchmarks;
using ImageHub.ProxyWasm.Bench;

// Usage: ProxyWasm.Bench <conformance.wasm> <bench-raw.wasm> [<multi-tenancy.wasm> <rate-limit.wasm>] [--requests N] [--rounds N] [--warmup N] [--markdown] [--only NAME]
// --only runs the cases whose filter name contains NAME (for a profiler).
var options = BenchOptions.Parse(args);
var cases = Cases.All(options).Where(c => options.Only is null || c.Filter.Contains(options.Only, StringComparison.OrdinalIgnoreCase)).ToList();
try
{
    foreach (var benchCase in cases)
        for (var i = 0; i < options.Warmup; i++) benchCase.Run();

    // Rounds go round robin over the cases, so a neighbour's burst of load hits every case alike.
    var rounds = cases.ToDictionary(c => c, _ => new List<RoundResult>());
    for (var round = 0; round < options.Rounds; round++)
        foreach (var benchCase in cases)
            rounds[benchCase].Add(Measure(benchCase, options.Requests));

    var results = cases.Select(c => new BenchResult(c.Filter, c.Path,
        Median(rounds[c].Select(r => r.CpuMicroseconds)), Median(rounds[c].Select(r => r.WallMicroseconds)), Median(rounds[c].Select(r => r.Bytes)))).ToList();
    Print(results, options);
}
finally
{
    foreach (var benchCase in cases) benchCase.Owner.Dispose();
}

static RoundResult Measure(BenchCase benchCase, int requests)
{
    var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
    var cpuBefore = ThreadCpuClock.Nanoseconds();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < requests; i++) benchCase.Run();
    clock.Stop();
    var cpu = ThreadCpuClock.Nanoseconds() - cpuBefore;
    var bytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
    return new RoundResult(cpu / 1000.0 / requests, clock.Elapsed.TotalMicroseconds / requests, (double)bytes / requests);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

static void Print(List<BenchResult> results, BenchOptions options)
{
    var cpuLabel = ThreadCpuClock.Available ? "µs CPU / request" : "µs / request (no thread CPU clock: wall)";
    Console.WriteLine(options.Markdown
        ? $"| filter | through | {cpuLabel} | µs wall / request | bytes allocated / request |\n| --- | --- | ---: | ---: | ---: |"
        : $"{"filter",-18} {"through",-10} {"µs CPU",10} {"µs wall",10} {"bytes",8}");
    foreach (var r in results)
    {
        var cpu = r.CpuMicroseconds.ToString("0.00", CultureInfo.InvariantCulture);
        var wall = r.WallMicroseconds.ToString("0.00", CultureInfo.InvariantCulture);
        var bytes = r.BytesPerRequest.ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine(options.Markdown
            ? $"| {r.Filter} | {r.Path} | {cpu} | {wall} | {bytes} |"
            : $"{r.Filter,-18} {r.Path,-10} {cpu,10} {wall,10} {bytes,8}");
    }
    Console.WriteLine($"({options.Requests} requests × {options.Rounds} rounds per case, rounds interleaved across cases, after {options.Warmup} warm-up requests per case; " +
                      "median round; request headers + response headers + stream end; one thread)");
}
