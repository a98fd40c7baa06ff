using ImageHub.ProxyWasm.Testing;
using ImageHub.Testing;

namespace ImageHub.ProxyWasm.Tests.Embedding;

/// <summary>
/// What runs while a replica is built — the module's start function inside instantiation, then
/// <c>_initialize</c>/<c>_start</c> — is bounded like a callback, so a filter that spins there
/// fails to load (or to be rebuilt) with a clear error instead of hanging the host.
/// </summary>
public class StartBudgetTests
{
    // Guards the tests against the hang they are about: a regression fails instead of blocking the run.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private const string Abi = """
        (memory (export "memory") 1)
        (func (export "proxy_abi_version_0_2_1"))
        (func (export "malloc") (param i32) (result i32) (i32.const 1024))
        (func (export "proxy_on_context_create") (param i32 i32))
        """;

    // Imports must come first in the text, so the ABI boilerplate follows the body.
    private static byte[] Module(string body) => WatCompiler.ToWasm($"(module\n{body}\n{Abi}\n)");

    private static readonly byte[] SpinningStart = Module("""
        (func $spin (loop $forever (br $forever)))
        (start $spin)
        """);

    // The start function spins only once the queue "rebuilt" exists, which proxy_on_vm_start of
    // the first replica registers: the first replica loads, its rebuild spins.
    private static readonly byte[] SpinsWhenRebuilt = Module("""
        (import "env" "proxy_register_shared_queue" (func $register (param i32 i32 i32) (result i32)))
        (import "env" "proxy_resolve_shared_queue" (func $resolve (param i32 i32 i32 i32 i32) (result i32)))
        (data (i32.const 16) "rebuilt")
        (global $started (mut i32) (i32.const 0))
        (func $start
          (if (i32.eqz (call $resolve (i32.const 0) (i32.const 0) (i32.const 16) (i32.const 7) (i32.const 32)))
            (then (loop $forever (br $forever))))
          (global.set $started (i32.const 1)))
        (start $start)
        (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
          (drop (call $register (i32.const 16) (i32.const 7) (i32.const 32)))
          (global.get $started))
        (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) unreachable)
        """);

    private static PluginOptions Plugin(byte[] module, TimeSpan? deadline, long? fuel = null) => new()
    {
        Name = "spinner", Module = module, Replicas = 1, DeadlinePerCallback = deadline, FuelPerCallback = fuel,
    };

    private static PluginLoadException LoadRefused(PluginOptions options)
    {
        using var host = new ProxyWasmHost(FilterHarness.EngineFactory());
        var load = Task.Run(() => host.LoadPlugin(options));
        var error = Assert.ThrowsAsync<PluginLoadException>(() => load.WaitAsync(HangGuard)).GetAwaiter().GetResult();
        Assert.Equal("spinner", error.Plugin);
        Assert.Contains("plugin 'spinner'", error.Message);
        return error;
    }

    [Fact]
    public void A_start_function_that_spins_is_stopped_by_the_callback_deadline_and_the_load_is_refused()
    {
        var error = LoadRefused(Plugin(SpinningStart, TimeSpan.FromMilliseconds(200)));
        Assert.Contains("trap DeadlineExceeded in the start function", error.Message);
        Assert.Contains("200 ms", error.Message);
    }

    [Fact]
    public void A_start_function_that_spins_is_stopped_by_the_callback_fuel_when_there_is_no_deadline()
    {
        var error = LoadRefused(Plugin(SpinningStart, deadline: null, fuel: 1_000_000));
        Assert.Contains("trap OutOfFuel in the start function", error.Message);
    }

    [Fact]
    public void The_limits_own_start_deadline_wins_over_the_callback_deadline()
    {
        var options = Plugin(SpinningStart, TimeSpan.FromMinutes(10)) with
        {
            Limits = new ImageHub.Wasm.InstanceLimits { MaxMemoryPages = 16, StartDeadline = TimeSpan.FromMilliseconds(100) },
        };
        Assert.Contains("(start deadline 100 ms)", LoadRefused(options).Message);
    }

    [Theory]
    [InlineData("_initialize")]
    [InlineData("_start")]
    public void An_initialize_or_start_export_that_spins_is_stopped_by_the_callback_deadline(string export)
    {
        var module = Module($$"""(func (export "{{export}}") (loop $forever (br $forever)))""");
        var error = LoadRefused(Plugin(module, TimeSpan.FromMilliseconds(200)));
        Assert.Contains($"failed in {export}", error.Message);
        Assert.Contains("DeadlineExceeded", error.Message);
    }

    [Fact]
    public void A_start_function_that_finishes_loads_and_a_rebuild_whose_start_spins_fails_with_the_reason_logged()
    {
        var run = Task.Run(() =>
        {
            using var filter = FilterHarness.Load(SpinsWhenRebuilt, options: new HarnessOptions
            {
                Name = "spinner", Replicas = 1, DeadlinePerCallback = TimeSpan.FromMilliseconds(200),
            });
            Assert.Equal(1, filter.Info.LiveReplicas);

            // The callback traps: the replica is discarded and its rebuild runs the start function again.
            Assert.Equal(503, filter.NewExchange().SendRequestHeaders("GET", "/").LocalReply!.StatusCode);
            Assert.Contains(filter.HostLogs, line =>
                line.Contains("could not be rebuilt") && line.Contains("trap DeadlineExceeded in the start function"));

            // The host keeps serving by the failure policy while no replica can be built.
            Assert.Equal(503, filter.NewExchange().SendRequestHeaders("GET", "/").LocalReply!.StatusCode);
        });
        run.WaitAsync(HangGuard).GetAwaiter().GetResult();
    }
}
