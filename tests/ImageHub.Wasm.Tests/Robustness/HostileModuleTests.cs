using static ImageHub.Wasm.Tests.Robustness.ModuleBytes;

namespace ImageHub.Wasm.Tests.Robustness;

/// <summary>
/// Shapes that are legal or nearly legal but push the engine and the .NET JIT to their
/// limits: huge local counts, very long or deeply nested bodies, wide signatures and
/// branch tables. Each must end as a rejection, a trap or a result, within a time limit.
/// </summary>
public class HostileModuleTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    // The deadline also counts the first call's JIT compilation, which is slow for these shapes on a busy machine.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static MutantOutcome RunWithin(byte[] module)
    {
        var run = Task.Factory.StartNew(() => new MutantRunner(OurEngine.Create(), Deadline).Run(module, []),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(run.Wait(Limit), $"still running after {Limit.TotalSeconds} s");
        return run.Result;
    }

    [Fact]
    public void A_local_count_of_four_billion_is_rejected_without_allocating_it()
    {
        var module = SingleFunction([], [], Body([(0xFFFF_FFFF, I32)], []));
        Assert.Equal(MutantOutcome.Rejected, RunWithin(module));
    }

    [Fact]
    public void Local_groups_that_add_up_past_four_billion_are_rejected()
    {
        var module = SingleFunction([], [], Body([(0x8000_0000, I32), (0x8000_0000, I64)], []));
        Assert.Equal(MutantOutcome.Rejected, RunWithin(module));
    }

    [Theory]
    [InlineData(70_000)]   // more than an IL method may declare
    [InlineData(50_000)]
    public void A_function_with_tens_of_thousands_of_locals_is_rejected_or_traps_or_runs(int locals)
    {
        // local.get of the last local, returned.
        var module = SingleFunction([], [I32], Body([((ulong)locals, I32)], [0x20, .. Leb128.Encode((ulong)(locals - 1))]));
        // A frame this large may also trap as call stack exhaustion on a small thread stack.
        Assert.Contains(RunWithin(module), new[] { MutantOutcome.Rejected, MutantOutcome.Returned, MutantOutcome.Trapped });
    }

    [Fact]
    public void A_body_of_a_million_instructions_is_rejected_or_runs()
    {
        // (i32.const 1, drop) x 500 000: a function larger than any the JIT sees from C#.
        var module = SingleFunction([], [], Body([], Repeat([0x41, 0x01, 0x1A], 500_000)));
        Assert.Contains(RunWithin(module), new[] { MutantOutcome.Rejected, MutantOutcome.Returned, MutantOutcome.Trapped });
    }

    [Fact]
    public void Blocks_nested_a_hundred_thousand_deep_are_rejected_or_run()
    {
        const int depth = 100_000;
        byte[] code = [.. Repeat([0x02, 0x40], depth), .. Repeat([0x0B], depth)];
        var module = SingleFunction([], [], Body([], code));
        Assert.Contains(RunWithin(module), new[] { MutantOutcome.Rejected, MutantOutcome.Returned, MutantOutcome.Trapped });
    }

    [Fact]
    public void A_value_stack_a_hundred_thousand_deep_is_rejected()
    {
        // Its slots would need more locals than a .NET method may declare: rejected when compiled, not on the first call.
        const int depth = 100_000;
        byte[] code = [.. Repeat([0x41, 0x07], depth), .. Repeat([0x6A], depth - 1)];   // i32.const 7 ... i32.add ...
        var module = SingleFunction([], [I32], Body([], code));
        Assert.Equal(MutantOutcome.Rejected, RunWithin(module));
    }

    [Fact]
    public void A_value_stack_ten_thousand_deep_runs()
    {
        const int depth = 10_000;
        byte[] code = [.. Repeat([0x41, 0x07], depth), .. Repeat([0x6A], depth - 1)];
        var module = SingleFunction([], [I32], Body([], code));
        Assert.Equal(MutantOutcome.Returned, RunWithin(module));
    }

    [Fact]
    public void A_signature_with_a_thousand_parameters_is_rejected_or_runs()
    {
        var parameters = Enumerable.Repeat(I64, 1000).ToArray();
        var module = SingleFunction(parameters, [I64], Body([], [0x20, .. Leb128.Encode(999)]));
        Assert.Contains(RunWithin(module), new[] { MutantOutcome.Rejected, MutantOutcome.Returned });
    }

    [Theory]
    [InlineData(20_000, 1)]
    [InlineData(0, 20_000)]
    public void A_signature_with_tens_of_thousands_of_parameters_or_results_is_rejected(int parameters, int results)
    {
        // Past a few thousand, the JIT refuses the compiled method on its first call.
        var body = Body([], Repeat([0x41, 0x07], results));
        var module = SingleFunction(Enumerable.Repeat(I32, parameters).ToArray(), Enumerable.Repeat(I32, results).ToArray(), body);
        Assert.Equal(MutantOutcome.Rejected, RunWithin(module));
    }

    [Fact]
    public void A_branch_table_with_a_million_targets_is_rejected_or_runs()
    {
        const int targets = 1_000_000;
        // block (br_table 0 0 ... 0 (i32.const 5)) end
        byte[] code = [0x02, 0x40, 0x41, 0x05, 0x0E, .. Leb128.Encode(targets), .. Repeat([0x00], targets), 0x00, 0x0B];
        var module = SingleFunction([], [], Body([], code));
        Assert.Contains(RunWithin(module), new[] { MutantOutcome.Rejected, MutantOutcome.Returned });
    }

    [Fact]
    public void A_branch_table_count_larger_than_the_body_is_rejected()
    {
        byte[] code = [0x02, 0x40, 0x41, 0x05, 0x0E, .. Leb128.Encode(0xFFFF_FFF0), 0x00, 0x0B];
        Assert.Equal(MutantOutcome.Rejected, RunWithin(SingleFunction([], [], Body([], code))));
    }

    [Fact]
    public void Memory_growth_past_the_instance_limit_fails_softly()
    {
        // memory 1 (no maximum); f: memory.grow(0x7fffffff) -> -1 expected, returned.
        var module = SingleFunction([], [I32], Body([], [0x41, .. SignedLeb(0x7FFF_FFFF), 0x40, 0x00]), memory: Vector([0x00, 0x01]));
        Assert.Equal(MutantOutcome.Returned, RunWithin(module));
    }

    [Fact]
    public void A_data_segment_far_past_the_memory_traps_at_instantiation()
    {
        var module = Module(
            (5, Vector([0x00, 0x01])),
            (11, Vector([0x00, 0x41, .. SignedLeb(0x7FFF_0000), 0x0B, .. Leb128.Encode(4), 1, 2, 3, 4])));
        Assert.Equal(MutantOutcome.Trapped, RunWithin(module));
    }

    private static byte[] SignedLeb(int value)
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            if ((value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0)) { bytes.Add(b); return bytes.ToArray(); }
            bytes.Add((byte)(b | 0x80));
        }
    }
}
