namespace ImageHub.Wasm.Tests.Engine;

/// <summary>
/// Fuel and deadlines: they hold for the start function too, fuel is counted exactly across
/// loops and calls, and a deadline stops every kind of runaway code, also many at once on
/// an oversubscribed machine.
/// </summary>
public class BudgetTests
{
    private const string SpinningStart = """
        (module
          (func $spin (loop (br 0)))
          (start $spin))
        """;

    [Fact]
    public void A_start_function_that_loops_forever_fails_instantiation_when_its_fuel_runs_out()
    {
        var module = Wat.Compile(SpinningStart);
        var trap = Assert.Throws<WasmTrapException>(() => module.Instantiate(new WasmImports(), new InstanceLimits { StartFuel = 100_000 }));
        Assert.Equal(TrapKind.OutOfFuel, trap.Kind);
    }

    [Fact]
    public void A_start_function_that_loops_forever_fails_instantiation_at_its_deadline()
    {
        var module = Wat.Compile(SpinningStart);
        var trap = Assert.Throws<WasmTrapException>(() => module.Instantiate(new WasmImports(), new InstanceLimits { StartDeadline = TimeSpan.FromMilliseconds(20) }));
        Assert.Equal(TrapKind.DeadlineExceeded, trap.Kind);
    }

    private const string CountingStart = """
        (module
          (global $n (mut i32) (i32.const 0))
          (func $count (loop (global.set $n (i32.add (global.get $n) (i32.const 1))) (br_if 0 (i32.lt_u (global.get $n) (i32.const 500)))))
          (func (export "n") (result i32) (global.get $n))
          (func (export "spin") (param i32) (result i32)
            (local i32)
            (loop (local.set 1 (i32.add (local.get 1) (i32.const 1))) (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
            (local.get 1))
          (start $count))
        """;

    [Fact]
    public void A_start_function_within_its_budget_runs_and_later_calls_are_not_bound_by_it()
    {
        var instance = Wat.Compile(CountingStart).Instantiate(new WasmImports(), new InstanceLimits { StartFuel = 1_000, StartDeadline = TimeSpan.FromSeconds(30) });
        Assert.Equal(500, instance.GetFunction<Func<int>>("n")!());
        Assert.Equal(100_000, instance.GetFunction<Func<int, int>>("spin")!(100_000));
    }

    [Fact]
    public void A_start_function_just_over_its_fuel_traps()
    {
        // One unit for the entry and one per back-edge: 1 + 499 fit in 500, not in 499.
        var module = Wat.Compile(CountingStart);
        Assert.NotNull(module.Instantiate(new WasmImports(), new InstanceLimits { StartFuel = 500 }));
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<WasmTrapException>(() => module.Instantiate(new WasmImports(), new InstanceLimits { StartFuel = 499 })).Kind);
    }

    private const string Loops = """
        (module
          (func $count (export "count") (param i32) (result i32)
            (local i32)
            (loop (local.set 1 (i32.add (local.get 1) (i32.const 1))) (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
            (local.get 1))
          (func (export "repeat") (param i32 i32) (result i32)
            (local i32)
            (loop (drop (call $count (local.get 1))) (local.set 2 (i32.add (local.get 2) (i32.const 1))) (br_if 0 (i32.lt_u (local.get 2) (local.get 0))))
            (local.get 2))
          (func $tree (export "tree") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
              (then (i32.const 1))
              (else (i32.add (call $tree (i32.sub (local.get 0) (i32.const 1))) (call $tree (i32.sub (local.get 0) (i32.const 2))))))))
        """;

    [Fact]
    public void Fuel_is_exact_for_loops_that_call_functions_with_loops()
    {
        // repeat(10, 50): 1 entry + 9 back-edges, and 10 calls of count(50), each 1 entry + 49 back-edges.
        var instance = Wat.Instantiate(Loops);
        var repeat = instance.GetFunction<Func<int, int, int>>("repeat")!;
        instance.SetBudget(fuel: 510, deadline: null);
        Assert.Equal(10, repeat(10, 50));
        instance.SetBudget(fuel: 509, deadline: null);
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<WasmTrapException>(() => repeat(10, 50)).Kind);
    }

    [Fact]
    public void Consecutive_calls_draw_on_one_budget()
    {
        var instance = Wat.Instantiate(Loops);
        var count = instance.GetFunction<Func<int, int>>("count")!;
        instance.SetBudget(fuel: 3_000, deadline: null);
        for (int i = 0; i < 3; i++) Assert.Equal(1_000, count(1_000));   // 1000 units each
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<WasmTrapException>(() => count(1)).Kind);
    }

    [Theory]
    [InlineData("loop")]        // back-edges only: the loop's local fuel
    [InlineData("calls")]       // a loop calling a function with a loop
    [InlineData("recursion")]   // no loop at all: exponential recursion charges function entries
    public void Many_runaway_calls_at_once_all_stop_at_their_deadlines(string shape)
    {
        // More threads than cores, so runs are preempted at arbitrary points: a deadline whose stop
        // could be lost (a timer's store overwritten by the running code) hangs one of them sooner or later.
        const int threads = 8, runsPerThread = 25;
        var module = Wat.Compile(Loops);
        var kinds = new TrapKind?[threads * runsPerThread];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var instance = module.Instantiate(new WasmImports());
            for (int run = 0; run < runsPerThread; run++)
            {
                instance.SetBudget(fuel: null, deadline: TimeSpan.FromMilliseconds(1 + run % 3));
                try
                {
                    _ = shape switch
                    {
                        "loop" => instance.GetFunction<Func<int, int>>("count")!(-1),
                        "calls" => instance.GetFunction<Func<int, int, int>>("repeat")!(-1, 1_000),
                        _ => instance.GetFunction<Func<int, int>>("tree")!(60),
                    };
                }
                catch (WasmTrapException trap) { kinds[t * runsPerThread + run] = trap.Kind; }
            }
        }) { IsBackground = true }).ToList();
        workers.ForEach(w => w.Start());
        foreach (var worker in workers) Assert.True(worker.Join(TimeSpan.FromSeconds(60)), "a runaway call did not stop at its deadline");
        Assert.All(kinds, kind => Assert.Equal(TrapKind.DeadlineExceeded, kind));
    }

    [Fact]
    public void A_deadline_set_after_a_quiet_spell_still_stops_a_loop()
    {
        // Between deadlines the clock loops read stops ticking; the next deadline must wake it.
        var instance = Wat.Instantiate(Loops);
        var count = instance.GetFunction<Func<int, int>>("count")!;
        var kinds = new List<TrapKind>();
        var worker = new Thread(() =>
        {
            for (int round = 0; round < 3; round++)
            {
                instance.SetBudget(fuel: null, deadline: TimeSpan.FromMilliseconds(5));
                try { count(-1); } catch (WasmTrapException trap) { kinds.Add(trap.Kind); }
                Thread.Sleep(100);
            }
        }) { IsBackground = true };
        worker.Start();
        Assert.True(worker.Join(TimeSpan.FromSeconds(30)), "a loop did not stop at its deadline");
        Assert.Equal([TrapKind.DeadlineExceeded, TrapKind.DeadlineExceeded, TrapKind.DeadlineExceeded], kinds);
    }

    [Fact]
    public void A_long_deadline_counted_from_the_ticking_clock_lets_short_calls_finish_and_stops_a_loop()
    {
        var instance = Wat.Instantiate(Loops);
        var count = instance.GetFunction<Func<int, int>>("count")!;
        var kinds = new List<TrapKind>();
        var worker = new Thread(() =>
        {
            instance.SetBudget(fuel: null, deadline: TimeSpan.FromMilliseconds(5));   // the clock ticks from here on
            try { count(-1); } catch (WasmTrapException trap) { kinds.Add(trap.Kind); }
            for (int i = 0; i < 100; i++)
            {
                instance.SetBudget(fuel: null, deadline: TimeSpan.FromMilliseconds(300));
                try { count(1_000); } catch (WasmTrapException trap) { kinds.Add(trap.Kind); }   // must not trap
            }
            instance.SetBudget(fuel: null, deadline: TimeSpan.FromMilliseconds(300));
            try { count(-1); } catch (WasmTrapException trap) { kinds.Add(trap.Kind); }
        }) { IsBackground = true };
        worker.Start();
        Assert.True(worker.Join(TimeSpan.FromSeconds(30)), "a loop did not stop at its deadline");
        Assert.Equal([TrapKind.DeadlineExceeded, TrapKind.DeadlineExceeded], kinds);
    }

    private const string HostLoop = """
        (module
          (import "host" "forever" (func $forever))
          (func $inner (export "inner") (result i32) (call $leaf))
          (func $leaf (result i32) (i32.const 1))
          (func (export "outer") (call $forever)))
        """;

    [Fact]
    public void A_deadline_stops_a_host_function_that_calls_into_wasm_forever()
    {
        // No wasm loop at all: the host loops, and each call into wasm sets the stack limit that
        // doubles as the deadline's stop signal, which must not wipe out a stop the clock made.
        Func<int>? inner = null;
        var instance = Wat.Instantiate(HostLoop, new WasmImports().Function("host", "forever", new Action(() => { while (true) inner!(); })));
        inner = instance.GetFunction<Func<int>>("inner")!;
        TrapKind? kind = null;
        var worker = new Thread(() =>
        {
            instance.SetBudget(fuel: null, deadline: TimeSpan.FromMilliseconds(20));
            try { instance.GetFunction<Action>("outer")!(); } catch (WasmTrapException trap) { kind = trap.Kind; }
        }) { IsBackground = true };
        worker.Start();
        Assert.True(worker.Join(TimeSpan.FromSeconds(30)), "the host's loop did not stop at the deadline");
        Assert.Equal(TrapKind.DeadlineExceeded, kind);
    }

    [Fact]
    public void A_deadline_that_passed_before_the_call_stops_it_at_once()
    {
        var instance = Wat.Instantiate(Loops);
        instance.SetBudget(fuel: null, deadline: TimeSpan.Zero);
        Thread.Sleep(5);
        Assert.Equal(TrapKind.DeadlineExceeded, Assert.Throws<WasmTrapException>(() => instance.GetFunction<Func<int, int>>("count")!(-1)).Kind);
    }
}
