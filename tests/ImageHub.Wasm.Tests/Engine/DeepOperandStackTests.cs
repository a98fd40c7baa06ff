using System.Text;

namespace ImageHub.Wasm.Tests.Engine;

/// <summary>
/// Operand stacks far deeper than any compiler emits: the compiled code must keep every value
/// in order past the depth where values leave the IL evaluation stack, and a function whose
/// stack cannot be represented in a .NET method is rejected when it is compiled — never an
/// InvalidProgramException on its first call.
/// </summary>
public class DeepOperandStackTests
{
    /// <summary>Pushes 1..n, then folds from the top with i32.sub: 1 - (2 - (3 - ... n)).</summary>
    private static string SubtractionChain(int n, string between = "")
    {
        var wat = new StringBuilder("(module (func $id (param i32) (result i32) local.get 0)\n(func (export \"f\") (result i32)\n");
        for (int k = 1; k <= n; k++) wat.Append("i32.const ").Append(k).Append('\n');
        wat.Append(between).Append('\n');
        for (int k = 1; k < n; k++) wat.Append("i32.sub\n");
        return wat.Append("))").ToString();
    }

    private static int ExpectedChain(int n)
    {
        int acc = n;
        for (int k = n - 1; k >= 1; k--) acc = k - acc;
        return acc;
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(1_025)]
    [InlineData(5_000)]
    [InlineData(20_000)]
    public void A_deep_stack_keeps_every_value_in_order(int depth)
    {
        var f = Wat.Instantiate(SubtractionChain(depth)).GetFunction<Func<int>>("f")!;
        Assert.Equal(ExpectedChain(depth), f());
    }

    [Fact]
    public void A_deep_stack_survives_a_call_and_a_block_on_top_of_it()
    {
        // The call reloads cached state and the block is a join point: both happen with thousands of values spilled below.
        const string between = "call $id\n(block (result i32) i32.const 5 br 0)\ni32.add";
        var f = Wat.Instantiate(SubtractionChain(3_000, between)).GetFunction<Func<int>>("f")!;
        // The top value 3000 became 3005 before the chain.
        int acc = 3_005;
        for (int k = 2_999; k >= 1; k--) acc = k - acc;
        Assert.Equal(acc, f());
    }

    [Fact]
    public void A_deep_stack_of_mixed_types_keeps_each_value_in_its_own_type()
    {
        // Pairs (i64 k, f64 k+0.5) for k = 1..n, folded from the top into one i64.
        const int n = 2_000;
        var wat = new StringBuilder("(module (func (export \"f\") (result i64)\n");
        for (int k = 1; k <= n; k++) wat.Append($"i64.const {k}\nf64.const {k}.5\n");
        // Top pair: f64 -> i64 (truncated), subtracted from the i64 below it.
        wat.Append("i64.trunc_f64_s\ni64.sub\n");
        for (int k = 1; k < n; k++) wat.Append("f64.convert_i64_s\nf64.add\ni64.trunc_f64_s\ni64.sub\n");
        var f = Wat.Instantiate(wat.Append("))").ToString()).GetFunction<Func<long>>("f")!;

        long acc = n - n;   // n - trunc(n + 0.5)
        for (long k = n - 1; k >= 1; k--) acc = k - (long)Math.Truncate(k + 0.5 + acc);
        Assert.Equal(acc, f());
    }

    [Fact]
    public void A_stack_a_hundred_thousand_deep_is_rejected_at_compile_time_with_the_limit_named()
    {
        var error = Assert.Throws<WasmFormatException>(() => Wat.Compile(SubtractionChain(100_000)));
        Assert.Equal(WasmFormatProblem.Invalid, error.Problem);
        Assert.Contains("implementation limit", error.Reason);
    }

    [Fact]
    public void Many_locals_plus_a_deep_stack_past_the_dotnet_local_limit_are_rejected_at_compile_time()
    {
        // Each alone is allowed (50000 locals; a 20000-deep stack); together they need more than a method may declare.
        var wat = SubtractionChain(20_000).Replace("(func (export \"f\") (result i32)", "(func (export \"f\") (result i32) (local i32 i64 f32 f64)")
            .Replace("(local i32 i64 f32 f64)", string.Concat(Enumerable.Repeat("(local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)", 5_000)));
        var error = Assert.Throws<WasmFormatException>(() => Wat.Compile(wat));
        Assert.Contains("implementation limit", error.Reason);
    }

    [Theory]
    [InlineData(20_000, 1024)]   // frames of about 160 KiB, larger than the margin the .NET stack probe keeps
    [InlineData(20_000, 256)]    // the first frame alone does not fit
    [InlineData(3_000, 1024)]
    public void Recursion_with_huge_frames_traps_before_the_dotnet_stack_overflows(int depth, int stackKiB)
    {
        // f pushes depth values, calls itself, then adds them all: every frame keeps its slots across the call.
        var wat = new StringBuilder("(module (func $f (export \"f\") (result i32)\n");
        for (int k = 0; k < depth; k++) wat.Append("i32.const 1\n");
        wat.Append("call $f\n");
        for (int k = 0; k < depth; k++) wat.Append("i32.add\n");
        var module = Wat.Compile(wat.Append("))").ToString());

        AssertCallStackExhaustedOnThread(module, stackKiB);
    }

    [Theory]
    [InlineData(700)]     // frames of about 6 KiB
    [InlineData(3_000)]   // frames of about 24 KiB
    public void Recursion_alternating_small_and_large_frames_traps_before_the_dotnet_stack_overflows(int depth)
    {
        // $small (a tiny frame) and $big (up to the largest frame the stack limit's margin covers) call each other.
        var wat = new StringBuilder("(module (func $small (export \"f\") (result i32) call $big)\n(func $big (result i32)\n");
        for (int k = 0; k < depth; k++) wat.Append("i32.const 1\n");
        wat.Append("call $small\n");
        for (int k = 0; k < depth; k++) wat.Append("i32.add\n");
        var module = Wat.Compile(wat.Append("))").ToString());

        AssertCallStackExhaustedOnThread(module, 512);
    }

    [Fact]
    public void Deep_stack_code_after_an_unreachable_needs_no_slots_and_compiles()
    {
        // Dead code is validated but not emitted, so its depth costs no locals.
        var f = Wat.Instantiate(SubtractionChain(100_000).Replace("(result i32)\n", "(result i32)\ni32.const 42 return\n"))
            .GetFunction<Func<int>>("f")!;
        Assert.Equal(42, f());
    }

    /// <summary>
    /// Calls export "f" with no stack budget on a thread with a small .NET stack: only the
    /// engine's stack probes stand between deep recursion and a process-killing overflow.
    /// </summary>
    private static void AssertCallStackExhaustedOnThread(IWasmModule module, int stackKiB)
    {
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            var f = module.Instantiate(new WasmImports(), new InstanceLimits { MaxStackBytes = int.MaxValue }).GetFunction<Func<int>>("f")!;
            try { f(); } catch (Exception e) { caught = e; }
        }, stackKiB * 1024);
        thread.Start();
        thread.Join();
        Assert.Equal(TrapKind.CallStackExhausted, Assert.IsType<WasmTrapException>(caught).Kind);
    }
}
