namespace ImageHub.Wasm.Tests.Engine;

/// <summary>A misbehaving module traps; it never takes the process down.</summary>
public class SafetyTests
{
    private const string Recursion = """
        (module
          (func $down (export "down") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (call $down (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
        """;

    [Fact]
    public void Unbounded_recursion_traps_with_call_stack_exhausted()
    {
        var down = Wat.Instantiate(Recursion).GetFunction<Func<int, int>>("down")!;
        var trap = Assert.Throws<WasmTrapException>(() => down(-1));
        Assert.Equal(TrapKind.CallStackExhausted, trap.Kind);
    }

    [Fact]
    public void Recursion_within_the_stack_budget_returns_and_the_instance_stays_usable_after_a_trap()
    {
        // A frame of $down takes some tens of bytes: 100 levels fit in 64 KiB, a million do not.
        var instance = Wat.Instantiate(Recursion, limits: new InstanceLimits { MaxStackBytes = 64 * 1024 });
        var down = instance.GetFunction<Func<int, int>>("down")!;
        Assert.Equal(100, down(100));
        Assert.Equal(TrapKind.CallStackExhausted, Assert.Throws<WasmTrapException>(() => down(1_000_000)).Kind);
        Assert.Equal(100, down(100));
    }

    [Fact]
    public void The_stack_budget_scales_the_depth_reached()
    {
        // The deepest recursion that fits grows with the budget: the budget, not the thread's stack, stopped it.
        int Deepest(int budget)
        {
            var down = Wat.Instantiate(Recursion, limits: new InstanceLimits { MaxStackBytes = budget }).GetFunction<Func<int, int>>("down")!;
            int low = 0, high = 1_000_000;
            while (low < high)
            {
                int mid = (low + high + 1) / 2;
                try { down(mid); low = mid; }
                catch (WasmTrapException) { high = mid - 1; }
            }
            return low;
        }
        int small = Deepest(64 * 1024), large = Deepest(256 * 1024);
        Assert.InRange(large, 3 * small, 5 * small);
    }

    [Fact]
    public void A_huge_stack_budget_still_traps_before_the_dotnet_stack_overflows()
    {
        // The budget would allow it; the stack probe must stop it. Run on a small stack to make the point.
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            var down = Wat.Instantiate(Recursion, limits: new InstanceLimits { MaxStackBytes = int.MaxValue }).GetFunction<Func<int, int>>("down")!;
            try { down(-1); } catch (Exception e) { caught = e; }
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Equal(TrapKind.CallStackExhausted, Assert.IsType<WasmTrapException>(caught).Kind);
    }

    private const string Spin = """
        (module
          (func (export "spin") (loop (br 0)))
          (func (export "count") (param i32) (result i32)
            (local i32)
            (loop (local.set 1 (i32.add (local.get 1) (i32.const 1))) (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
            (local.get 1)))
        """;

    [Fact]
    public void An_infinite_loop_stops_when_the_fuel_runs_out()
    {
        var instance = Wat.Instantiate(Spin);
        instance.SetBudget(fuel: 1_000_000, deadline: null);
        var trap = Assert.Throws<WasmTrapException>(() => instance.GetFunction<Action>("spin")!());
        Assert.Equal(TrapKind.OutOfFuel, trap.Kind);
    }

    [Fact]
    public void Fuel_counts_loop_iterations_so_a_bounded_loop_fits_a_budget_and_a_longer_one_does_not()
    {
        var instance = Wat.Instantiate(Spin);
        var count = instance.GetFunction<Func<int, int>>("count")!;
        instance.SetBudget(fuel: 1_000, deadline: null);
        Assert.Equal(900, count(900));
        instance.SetBudget(fuel: 1_000, deadline: null);
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<WasmTrapException>(() => count(5_000)).Kind);
        instance.SetBudget(fuel: null, deadline: null);
        Assert.Equal(5_000, count(5_000));
    }

    [Fact]
    public void An_infinite_loop_stops_at_the_deadline()
    {
        var instance = Wat.Instantiate(Spin);
        instance.SetBudget(fuel: null, deadline: TimeSpan.FromMilliseconds(50));
        var trap = Assert.Throws<WasmTrapException>(() => instance.GetFunction<Action>("spin")!());
        Assert.Equal(TrapKind.DeadlineExceeded, trap.Kind);
    }

    private const string Grower = """
        (module
          (memory (export "memory") 1)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "poke") (param i32) (i32.store8 (local.get 0) (i32.const 1))))
        """;

    [Fact]
    public void Memory_growth_beyond_the_instance_limit_is_refused_and_access_past_it_traps()
    {
        var instance = Wat.Instantiate(Grower, limits: new InstanceLimits { MaxMemoryPages = 3 });
        var grow = instance.GetFunction<Func<int, int>>("grow")!;
        Assert.Equal(1, grow(2));
        Assert.Equal(-1, grow(1));
        Assert.Equal(3, instance.GetMemory()!.PageCount);
        Assert.Equal(-1, instance.GetMemory()!.Grow(1));
        var poke = instance.GetFunction<Action<int>>("poke")!;
        poke(3 * 65536 - 1);
        Assert.Equal(TrapKind.OutOfBoundsMemory, Assert.Throws<WasmTrapException>(() => poke(3 * 65536)).Kind);
    }

    [Fact]
    public void A_module_whose_initial_memory_exceeds_the_limit_is_not_instantiated()
    {
        var module = Wat.Compile("(module (memory 10))");
        Assert.Throws<WasmLinkException>(() => module.Instantiate(new WasmImports(), new InstanceLimits { MaxMemoryPages = 5 }));
        Assert.NotNull(module.Instantiate(new WasmImports(), new InstanceLimits { MaxMemoryPages = 10 }));
    }

    [Fact]
    public void The_host_memory_api_checks_bounds()
    {
        var memory = Wat.Instantiate(Grower).GetMemory()!;
        memory.WriteUInt32(65532, 0xdeadbeef);
        Assert.Equal(0xdeadbeefu, memory.ReadUInt32(65532));
        Assert.Equal(TrapKind.OutOfBoundsMemory, Assert.Throws<WasmTrapException>(() => memory.ReadUInt32(65533)).Kind);
        Assert.Throws<WasmTrapException>(() => memory.Slice(uint.MaxValue, 2));
    }
}
