using ImageHub.Wasm;
using ImageHub.Wasm.Benchmarks;

// Usage: ImageHub.Wasm.Benchmarks WARMUP ITERATIONS V8_RESULTS NATIVE_RESULTS LARGE_MODULE [--markdown] KERNEL.wasm...
// scripts/bench engine builds the kernels, runs V8 and native into the two result files, then this.
if (args.Length < 6 || !int.TryParse(args[0], out var warmup) || !int.TryParse(args[1], out var iterations))
{
    Console.Error.WriteLine("usage: ImageHub.Wasm.Benchmarks WARMUP ITERATIONS V8_RESULTS NATIVE_RESULTS LARGE_MODULE [--markdown] KERNEL.wasm...");
    return 2;
}
var markdown = args.Contains("--markdown");
var kernels = args.Skip(5).Where(a => a != "--markdown").ToArray();
var engine = new WasmEngine();

var load = ModuleLoadTiming.Measure(engine, args[4]);
var runner = new EngineKernelRunner(engine, warmup, iterations);
var results = new List<KernelTiming>();
foreach (var kernel in kernels)
{
    var timing = runner.Run(kernel);
    Console.Error.WriteLine($"engine: {timing}");
    results.Add(timing);
}

var v8 = KernelTiming.ReadAll(args[2]);
var native = KernelTiming.ReadAll(args[3]);
Console.WriteLine();
Console.WriteLine($"median {BenchClock.Name} time per run(), {warmup} warm-up and {iterations} measured runs per kernel");
Console.WriteLine();
Console.Write(ResultTable.Render(results, v8, native, load, markdown));

// The checksums prove that every runner did the same work; a difference is an engine bug.
var mismatches = results
    .SelectMany(e => new[] { ("V8", v8.GetValueOrDefault(e.Kernel)), ("native", native.GetValueOrDefault(e.Kernel)) }
        .Where(o => o.Item2 is not null && o.Item2.Checksum != e.Checksum)
        .Select(o => $"{e.Kernel}: engine checksum {e.Checksum}, {o.Item1} {o.Item2!.Checksum}"))
    .ToList();
foreach (var mismatch in mismatches) Console.Error.WriteLine($"error: {mismatch}");
return mismatches.Count == 0 ? 0 : 1;
