namespace ImageHub.Wasm.Benchmarks;

/// <summary>
/// Runs a kernel module on our engine exactly as the V8 and native runners do, each call under a
/// deadline as the Proxy-Wasm host sets one per callback (the sidecar always does), so the
/// compiled code runs in the configuration the product uses.
/// </summary>
internal sealed class EngineKernelRunner(IWasmEngine engine, int warmup, int iterations)
{
    /// <summary>Far longer than any kernel's run: it is there to be checked, not to be reached.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public KernelTiming Run(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var instance = engine.Compile(File.ReadAllBytes(path)).Instantiate(new WasmImports());
        var setup = instance.GetFunction<Action>("setup") ?? throw Missing(name, "setup");
        var selftest = instance.GetFunction<Func<int>>("selftest") ?? throw Missing(name, "selftest");
        var run = instance.GetFunction<Func<int>>("run") ?? throw Missing(name, "run");

        setup();
        if (selftest() != 1) throw new InvalidOperationException($"{name}: selftest failed on the engine");
        var checksum = 0;
        for (var i = 0; i < warmup; i++)
        {
            instance.SetBudget(fuel: null, deadline: Deadline);
            checksum = run();
        }
        var samples = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            instance.SetBudget(fuel: null, deadline: Deadline);
            var start = BenchClock.NowMs();
            checksum = run();
            samples.Add(BenchClock.NowMs() - start);
        }
        return KernelTiming.FromSamples(name, samples, unchecked((uint)checksum));
    }

    private static InvalidOperationException Missing(string kernel, string export) =>
        new($"{kernel}: the module exports no {export} function");
}
