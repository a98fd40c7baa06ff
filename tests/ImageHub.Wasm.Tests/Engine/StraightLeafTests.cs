namespace ImageHub.Wasm.Tests.Engine;

/// <summary>
/// Small functions without loops or calls that return compile without entry checks and may be
/// inlined by the JIT into their callers: they must behave exactly like any other call.
/// </summary>
public class StraightLeafTests
{
    private const string Leaves = """
        (module
          (memory 1)
          (func $grow (param i32) (result i32) (memory.grow (local.get 0)))
          (func $load (param i32) (result i32) (i32.load (local.get 0)))
          (func $checked (param i32) (result i32)
            (if (i32.eqz (local.get 0)) (then (call $fail) unreachable))
            (i32.add (local.get 0) (i32.const 1)))
          (func $fail)
          (func (export "grow_then_store") (result i32)
            (drop (call $grow (i32.const 1)))
            (i32.store (i32.const 70000) (i32.const 7))
            (i32.load (i32.const 70000)))
          (func (export "load") (param i32) (result i32) (i32.add (call $load (local.get 0)) (i32.const 1)))
          (func (export "sum_checked") (param i32) (result i32)
            (i32.add (call $checked (local.get 0)) (call $checked (i32.const 5)))))
        """;

    [Fact]
    public void A_caller_sees_memory_that_a_leaf_grew()
    {
        var instance = Wat.Instantiate(Leaves);
        Assert.Equal(7, instance.GetFunction<Func<int>>("grow_then_store")!());
    }

    [Fact]
    public void A_leaf_traps_out_of_bounds_inside_its_caller()
    {
        var load = Wat.Instantiate(Leaves).GetFunction<Func<int, int>>("load")!;
        Assert.Equal(1, load(0));
        Assert.Equal(TrapKind.OutOfBoundsMemory, Assert.Throws<WasmTrapException>(() => load(65533)).Kind);
    }

    [Fact]
    public void A_leaf_with_an_assertion_returns_or_traps_at_its_unreachable()
    {
        var sum = Wat.Instantiate(Leaves).GetFunction<Func<int, int>>("sum_checked")!;
        Assert.Equal(3 + 6, sum(2));
        Assert.Equal(TrapKind.Unreachable, Assert.Throws<WasmTrapException>(() => sum(0)).Kind);
    }
}
