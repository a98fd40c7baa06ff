namespace ImageHub.Wasm.Tests.Engine;

/// <summary>
/// The stack limit compiled code checks is set per entry from .NET: recursion that passes
/// through host functions or through another instance must still trap, on a thread with a
/// small stack, instead of overflowing the .NET stack (which would kill the process).
/// </summary>
public class StackGuardTests
{
    private const string ThroughHost = """
        (module
          (import "host" "again" (func $again (param i32) (result i32)))
          (func (export "down") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (call $again (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
        """;

    [Fact]
    public void Recursion_through_a_host_function_that_calls_back_into_wasm_traps_on_a_small_stack()
    {
        var caught = RunOnSmallStack(() =>
        {
            Func<int, int>? down = null;
            var instance = Wat.Instantiate(ThroughHost, new WasmImports().Function("host", "again", new Func<int, int>(n => down!(n))),
                new InstanceLimits { MaxStackBytes = int.MaxValue });
            down = instance.GetFunction<Func<int, int>>("down")!;
            Assert.Equal(50, down(50));
            down(-1);
        });
        Assert.Equal(TrapKind.CallStackExhausted, Assert.IsType<WasmTrapException>(caught).Kind);
    }

    private const string Callee = """
        (module
          (func $down (export "down") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (call $down (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
        """;

    private const string Caller = """
        (module
          (import "callee" "down" (func $down (param i32) (result i32)))
          (func (export "down") (param i32) (result i32) (call $down (local.get 0))))
        """;

    [Fact]
    public void Recursion_in_an_imported_instance_last_entered_on_another_thread_traps_on_a_small_stack()
    {
        // The callee's own limit was set on this thread; called from the caller on another thread it must use that thread's.
        var callee = Wat.Instantiate(Callee, limits: new InstanceLimits { MaxStackBytes = int.MaxValue });
        Assert.Equal(10, callee.GetFunction<Func<int, int>>("down")!(10));
        var caller = Wat.Instantiate(Caller, new WasmImports().Instance("callee", callee),
            new InstanceLimits { MaxStackBytes = int.MaxValue });
        var caught = RunOnSmallStack(() =>
        {
            var down = caller.GetFunction<Func<int, int>>("down")!;
            Assert.Equal(100, down(100));
            down(-1);
        });
        Assert.Equal(TrapKind.CallStackExhausted, Assert.IsType<WasmTrapException>(caught).Kind);
        Assert.Equal(10, callee.GetFunction<Func<int, int>>("down")!(10));
    }

    [Fact]
    public void An_instance_called_through_another_is_bound_by_the_callers_stack_budget()
    {
        var callee = Wat.Instantiate(Callee, limits: new InstanceLimits { MaxStackBytes = int.MaxValue });
        var caller = Wat.Instantiate(Caller, new WasmImports().Instance("callee", callee),
            new InstanceLimits { MaxStackBytes = 64 * 1024 });
        var down = caller.GetFunction<Func<int, int>>("down")!;
        Assert.Equal(100, down(100));
        Assert.Equal(TrapKind.CallStackExhausted, Assert.Throws<WasmTrapException>(() => down(1_000_000)).Kind);
    }

    private const string AssertionLike = """
        (module
          (func $check (export "check") (param i32)
            (if (i32.eqz (local.get 0)) (then (call $fail (local.get 0)) unreachable)))
          (func $fail (param i32)
            (call $check (local.get 0)) unreachable))
        """;

    [Fact]
    public void Recursion_through_calls_that_precede_unreachable_traps_on_a_small_stack()
    {
        // Such calls (AssemblyScript's failed assertions) make no checks on entry; the call itself checks the stack.
        var caught = RunOnSmallStack(() =>
        {
            var check = Wat.Instantiate(AssertionLike, limits: new InstanceLimits { MaxStackBytes = int.MaxValue }).GetFunction<Action<int>>("check")!;
            check(1);
            check(0);
        });
        Assert.Equal(TrapKind.CallStackExhausted, Assert.IsType<WasmTrapException>(caught).Kind);
    }

    private static Exception? RunOnSmallStack(Action body)
    {
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            try { body(); } catch (Exception e) { caught = e; }
        }, 512 * 1024);
        thread.Start();
        thread.Join();
        return caught;
    }
}
