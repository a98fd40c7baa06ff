
namespace ImageHub.Wasm.Benchmarks;

/// <summary>How long a large module takes to compile (once per module) and to instantiate (once per replica).</summary>
internal sealed record ModuleLoadTiming(int SizeBytes, double FirstCompileMs, double CompileMs, double InstantiateMs, double FirstCallMs)
{
    public static ModuleLoadTiming Measure(IWasmEngine engine, string path, int compiles = 5, int instantiations = 200)
    {
        var bytes = File.ReadAllBytes(path);

        // The first compile also pays for JIT-compiling the engine itself, as a freshly started sidecar does.
        var start = BenchClock.NowMs();
        var module = engine.Compile(bytes);
        var first = BenchClock.NowMs() - start;

        var compileSamples = new List<double>();
        for (var i = 0; i < compiles; i++)
        {
            start = BenchClock.NowMs();
            module = engine.Compile(bytes);
            compileSamples.Add(BenchClock.NowMs() - start);
        }

        var instantiateSamples = new List<double>();
        IWasmInstance? instance = null;
        for (var i = 0; i < instantiations; i++)
        {
            start = BenchClock.NowMs();
            instance = module.Instantiate(new WasmImports());
            instantiateSamples.Add(BenchClock.NowMs() - start);
        }

        // An engine that compiles lazily pays on the first call; show it so nothing hides there.
        var dispatch = instance!.GetFunction<Func<int, int, int, int>>("dispatch")
            ?? throw new InvalidOperationException("the large module exports no dispatch function");
        start = BenchClock.NowMs();
        dispatch(7, 5, 9);
        var firstCall = BenchClock.NowMs() - start;

        return new ModuleLoadTiming(bytes.Length, first, Median(compileSamples), Median(instantiateSamples), firstCall);
    }

    private static double Median(List<double> samples)
    {
        samples.Sort();
        return samples[samples.Count / 2];
    }
}
