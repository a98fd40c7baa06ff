using System.Diagnostics;
using Xunit.Abstractions;

namespace ImageHub.Wasm.Tests.Robustness;

/// <summary>
/// Thousands of deterministic mutations of valid modules. Each must be rejected
/// (<see cref="WasmFormatException"/>), fail to link (<see cref="WasmLinkException"/>), trap
/// (<see cref="WasmTrapException"/>) or return: never another exception, a hang or a crash.
/// A failure names the seed, the case and the mutation, so it can be replayed alone.
/// </summary>
public class MutationTests(ITestOutputHelper output)
{
    /// <summary>A case that runs longer than this is a hang: fuel and deadlines must have stopped it.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    public static TheoryData<string, int> Seeds => new()
    {
        { "features.wat", 2000 },
        { "fib.c", 500 },
        { "json_tokenizer.c", 700 },
        { "wasi_probe.c", 600 },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutated_modules_are_rejected_or_trap_or_run_and_nothing_else(string seedName, int cases)
    {
        var (seed, arguments) = Seed(seedName);
        var mutator = new ModuleMutator(seed);
        var runner = new MutantRunner(OurEngine.Create());
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        var current = (Index: -1, Description: "", Started: 0L);

        var work = new Thread(() =>
        {
            for (var index = 0; index < cases; index++)
            {
                // One generator per case: a case is replayed from (seed, index) alone.
                var (bytes, description) = mutator.Mutate(new Random(StableSeed(seedName, index)));
                current = (index, description, Stopwatch.GetTimestamp());
                try
                {
                    var outcome = runner.Run(bytes, arguments).ToString();
                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                }
                catch (Exception e)
                {
                    failures.Add($"{seedName} case {index} ({description}): {e.GetType().Name}: {e.Message}\n" +
                        $"  at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}\n" +
                        $"  module ({bytes.Length} bytes): {(bytes.Length <= 2048 ? Convert.ToHexString(bytes) : "(large; replay the case)")}");
                }
            }
        }, maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = $"mutants of {seedName}" };
        work.Start();

        while (!work.Join(100))
        {
            var (index, description, started) = current;
            if (index >= 0 && Stopwatch.GetElapsedTime(started) > HangLimit)
                Assert.Fail($"{seedName} case {index} ({description}) still runs after {HangLimit.TotalSeconds} s: a hang");
        }

        output.WriteLine($"{seedName}: {cases} cases: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
        foreach (var failure in failures.Take(10)) output.WriteLine(failure);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} mutants threw something else than the engine's exceptions:\n" +
            string.Join("\n", failures.Take(5)));
        // The seed set must exercise every stage, or the test proves less than it claims.
        Assert.True(outcomes.GetValueOrDefault(nameof(MutantOutcome.Rejected)) > 0, "no mutant was rejected");
        Assert.True(outcomes.GetValueOrDefault(nameof(MutantOutcome.Returned)) + outcomes.GetValueOrDefault(nameof(MutantOutcome.Trapped)) > 0,
            "no mutant ran");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_unmutated_seed_runs(string seedName, int cases)
    {
        _ = cases;
        var (seed, arguments) = Seed(seedName);
        var outcome = new MutantRunner(OurEngine.Create()).Run(seed, arguments);
        Assert.True(outcome is MutantOutcome.Returned or MutantOutcome.Trapped, $"{seedName}: {outcome}");
    }

    // string.GetHashCode differs per process; a case must be the same in every run.
    private static int StableSeed(string seedName, int index)
    {
        var hash = 2166136261u;
        foreach (var c in seedName) hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7FFFFFFF) ^ index;
    }

    private static (byte[] Bytes, string[] Arguments) Seed(string name) => name switch
    {
        "features.wat" => (GuestBuild.Wat("tests/ImageHub.Wasm.Tests/Robustness/Seeds/features.wat"), []),
        "wasi_probe.c" => (GuestBuild.C("tests/ImageHub.Wasm.Tests/Wasi/Guests/wasi_probe.c"), ["probe", "errno"]),
        _ => (GuestBuild.C($"benchmarks/Engine/kernels/{name}", "-Wl,--export-dynamic"), []),
    };
}
