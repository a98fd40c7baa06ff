using System.Diagnostics;
using System.Globalization;
using ImageHub.ProxyWasm.Bench;

// Usage: ProxyWasm.Bench <conformance.wasm> <bench-raw.wasm> [--requests N] [--rounds N] [--warmup N] [--markdown]
var options = BenchOptions.Parse(args);
var results = new List<BenchResult>();
foreach (var benchCase in Cases.All(options))
{
    using (benchCase.Owner)
    {
        for (var i = 0; i < options.Warmup; i++) benchCase.Run();
        var rounds = new List<(double Micros, double Bytes)>();
        for (var round = 0; round < options.Rounds; round++)
        {
            var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < options.Requests; i++) benchCase.Run();
            clock.Stop();
            var bytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
            rounds.Add((clock.Elapsed.TotalMicroseconds / options.Requests, (double)bytes / options.Requests));
        }
        var median = rounds.OrderBy(r => r.Micros).ElementAt(rounds.Count / 2);
        results.Add(new BenchResult(benchCase.Filter, benchCase.Path, median.Micros, median.Bytes));
    }
}

var header = options.Markdown
    ? "| filter | through | µs / request | bytes allocated / request |\n| --- | --- | ---: | ---: |"
    : $"{"filter",-18} {"through",-10} {"µs/request",12} {"bytes/request",14}";
Console.WriteLine(header);
foreach (var r in results)
{
    var micros = r.MicrosecondsPerRequest.ToString("0.00", CultureInfo.InvariantCulture);
    var bytes = r.BytesPerRequest.ToString("0", CultureInfo.InvariantCulture);
    Console.WriteLine(options.Markdown
        ? $"| {r.Filter} | {r.Path} | {micros} | {bytes} |"
        : $"{r.Filter,-18} {r.Path,-10} {micros,12} {bytes,14}");
}
Console.WriteLine($"({options.Requests} requests × {options.Rounds} rounds after {options.Warmup} warm-up requests; median round; request headers + response headers + stream end)");
