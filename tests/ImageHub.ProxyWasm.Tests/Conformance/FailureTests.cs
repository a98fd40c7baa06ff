using ImageHub.ProxyWasm.Testing;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>A misbehaving filter fails only its own stream; the host rebuilds the VM and keeps serving.</summary>
public class FailureTests
{
    [Fact]
    public void A_trap_fails_the_stream_closed_with_503_and_the_next_request_gets_a_fresh_vm()
    {
        using var filter = ConformanceFilters.Load("failure");
        Assert.Equal("1", filter.Request("GET", "/ok").RequestHeaders["x-served-by-this-vm"]);
        Assert.Equal("2", filter.Request("GET", "/ok").RequestHeaders["x-served-by-this-vm"]);

        var trapped = filter.NewExchange();
        var step = trapped.SendRequestHeaders("GET", "/trap");
        Assert.Equal(FilterAction.LocalReply, step.Action);
        Assert.Equal(503, step.LocalReply!.StatusCode);
        Assert.Equal("wasm_fail_stream", step.LocalReply.Details);
        Assert.Contains(filter.HostLogs, line => line.Contains("'failure'") && line.Contains("proxy_on_request_headers") && line.Contains("Unreachable"));

        Assert.Equal("1", filter.Request("GET", "/ok").RequestHeaders["x-served-by-this-vm"]);
        var info = filter.Info;
        Assert.Equal(1, info.Failures);
        Assert.Equal(1, info.ReplicaRebuilds);
        Assert.Equal(1, filter.Metric("wasm.failures"));
    }

    [Fact]
    public void A_fail_open_plugin_lets_the_failed_request_through_untouched()
    {
        using var filter = ConformanceFilters.Load("failure", options: new HarnessOptions { FailOpen = true });
        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders("GET", "/trap");
        Assert.Equal(FilterAction.Continue, step.Action);
        Assert.Equal(FilterAction.Continue, exchange.SendResponseHeaders(200).Action);
        Assert.Equal(1, filter.Info.Failures);
    }

    [Fact]
    public void An_endless_loop_is_stopped_by_the_deadline()
    {
        using var filter = ConformanceFilters.Load("failure", options: new HarnessOptions { DeadlinePerCallback = TimeSpan.FromMilliseconds(200) });
        var step = filter.NewExchange().SendRequestHeaders("GET", "/loop");
        Assert.Equal(503, step.LocalReply!.StatusCode);
        Assert.Contains(filter.HostLogs, line => line.Contains("DeadlineExceeded"));
        Assert.Equal("1", filter.Request("GET", "/ok").RequestHeaders["x-served-by-this-vm"]);
    }

    [Fact]
    public void An_endless_loop_is_stopped_by_fuel()
    {
        using var filter = ConformanceFilters.Load("failure", options: new HarnessOptions { FuelPerCallback = 1_000_000, DeadlinePerCallback = null });
        var step = filter.NewExchange().SendRequestHeaders("GET", "/loop");
        Assert.Equal(503, step.LocalReply!.StatusCode);
        Assert.Contains(filter.HostLogs, line => line.Contains("OutOfFuel"));
    }

    [Fact]
    public void A_filter_that_eats_memory_hits_the_limit_and_fails_only_its_stream()
    {
        using var filter = ConformanceFilters.Load("failure", options: new HarnessOptions { Limits = new InstanceLimits { MaxMemoryPages = 64 } });
        var step = filter.NewExchange().SendRequestHeaders("GET", "/oom");
        Assert.Equal(503, step.LocalReply!.StatusCode);
        Assert.Equal("1", filter.Request("GET", "/ok").RequestHeaders["x-served-by-this-vm"]);
    }

    [Fact]
    public void A_trap_while_the_response_headers_are_filtered_replaces_the_response_with_503()
    {
        using var filter = ConformanceFilters.Load("failure");
        var exchange = filter.Request("GET", "/ok");
        var step = exchange.SendResponseHeaders(599);
        Assert.Equal(503, step.LocalReply!.StatusCode);
    }

    // ---- the failure stays with its stream: one replica, so every stream shares the faulted VM ----

    /// <param name="deadline">Short for the endless loop; the default 5 s elsewhere, so that filling memory on a busy machine is not cut short.</param>
    private static FilterHarness LoadShared(TimeSpan? deadline = null) => ConformanceFilters.Load("failure", options: new HarnessOptions
    {
        Replicas = 1,
        Clusters = ["backend"],
        DeadlinePerCallback = deadline ?? TimeSpan.FromSeconds(5),
        Limits = new InstanceLimits { MaxMemoryPages = 64 },
    });

    /// <summary>Two requests on the VM first, so its counter (x-served-by-this-vm) tells it apart from a fresh VM's.</summary>
    private static void Serve(FilterHarness filter, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            var exchange = filter.Request("GET", "/ok");
            exchange.SendResponseHeaders(200);
            exchange.Complete();
        }
    }

    [Theory]
    [InlineData("/trap", "trap Unreachable")]
    [InlineData("/loop", "trap DeadlineExceeded")]
    [InlineData("/oom", "trap Unreachable")]    // the allocator's answer to a refused memory.grow
    [InlineData("/huge", "trap Unreachable")]
    public void A_failing_stream_gets_503_while_a_stream_paused_on_a_callout_on_the_same_vm_completes(string path, string trap)
    {
        using var filter = LoadShared(path == "/loop" ? TimeSpan.FromMilliseconds(200) : null);
        Serve(filter, 2);
        var waiting = filter.NewExchange();
        var paused = waiting.SendRequestHeaders("GET", "/wait");
        Assert.True(paused.IsPaused);

        var failing = filter.NewExchange();
        var failed = failing.SendRequestHeaders("GET", path);
        Assert.Equal(FilterAction.LocalReply, failed.Action);
        Assert.Equal(503, failed.LocalReply!.StatusCode);
        Assert.Equal("wasm_fail_stream", failed.LocalReply.Details);
        var logged = Assert.Single(filter.HostLogs, line => line.Contains("'failure'") && line.Contains("proxy_on_request_headers"));
        Assert.Contains(trap, logged);
        if (path == "/oom") Assert.True(MemoryPagesInUse(logged) > 32, logged);
        failing.Complete();

        // The paused stream was not touched; answered, it continues on the VM it started on (its third request).
        Assert.True(paused.IsPaused);
        filter.PendingCallouts.Single().Respond(200);
        Assert.Equal(FilterAction.Continue, paused.Action);
        Assert.Equal("200", waiting.RequestHeaders["x-callout-status"]);
        Assert.Equal("3", waiting.RequestHeaders["x-served-by-this-vm"]);
        Assert.Equal(FilterAction.Continue, waiting.SendResponseHeaders(200).Action);
        Assert.Equal("3", waiting.ResponseHeaders["x-served-by-this-vm"]);
        waiting.Complete();
        Assert.Null(waiting.LocalReply);

        // New streams went to a fresh VM from the moment of the failure.
        var fresh = filter.Request("GET", "/ok");
        Assert.Equal("1", fresh.RequestHeaders["x-served-by-this-vm"]);
        Assert.Equal(FilterAction.Continue, fresh.SendResponseHeaders(200).Action);
        Assert.Equal(1, filter.Info.Failures);
        Assert.Equal(1, filter.Info.ReplicaRebuilds);
        Assert.Equal(1, filter.Metric("wasm.failures"));
    }

    private static int MemoryPagesInUse(string logLine) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(logLine, @"\(memory (\d+) of \d+ pages\)").Groups[1].Value);

    [Fact]
    public void A_stream_opened_right_after_a_failure_goes_to_the_fresh_vm_while_the_old_one_finishes_its_streams()
    {
        using var filter = LoadShared();
        Serve(filter, 2);
        var waiting = filter.NewExchange();
        waiting.SendRequestHeaders("GET", "/wait");
        filter.NewExchange().SendRequestHeaders("GET", "/trap");

        var fresh = filter.NewExchange();
        var freshStep = fresh.SendRequestHeaders("GET", "/wait");
        Assert.Equal(2, filter.PendingCallouts.Count);
        filter.PendingCallouts[1].Respond(200);
        Assert.Equal(FilterAction.Continue, freshStep.Action);
        Assert.Equal("1", fresh.RequestHeaders["x-served-by-this-vm"]);
        filter.PendingCallouts.Single().Respond(200);
        Assert.Equal("3", waiting.RequestHeaders["x-served-by-this-vm"]);
    }

    [Fact]
    public void A_second_failure_on_the_retired_vm_fails_only_that_stream()
    {
        using var filter = LoadShared();
        var first = filter.NewExchange();
        var firstStep = first.SendRequestHeaders("GET", "/wait");
        var second = filter.NewExchange();
        var secondStep = second.SendRequestHeaders("GET", "/wait");
        Assert.Equal(503, filter.NewExchange().SendRequestHeaders("GET", "/trap").LocalReply!.StatusCode);

        filter.PendingCallouts[0].Respond(200);
        Assert.Equal(FilterAction.Continue, firstStep.Action);
        // The upstream's 599 makes the filter trap in proxy_on_response_headers: this stream alone gets 503.
        Assert.Equal(503, first.SendResponseHeaders(599).LocalReply!.StatusCode);

        filter.PendingCallouts.Single().Respond(200);
        Assert.Equal(FilterAction.Continue, secondStep.Action);
        Assert.Equal(FilterAction.Continue, second.SendResponseHeaders(200).Action);
        Assert.Equal(2, filter.Info.Failures);
        Assert.Equal(1, filter.Info.ReplicaRebuilds);
    }

    [Fact]
    public void A_callout_answer_that_traps_fails_the_stream_that_made_the_callout_and_no_other()
    {
        using var filter = LoadShared();
        var bystander = filter.NewExchange();
        var bystanderStep = bystander.SendRequestHeaders("GET", "/wait");
        var victim = filter.NewExchange();
        var victimStep = victim.SendRequestHeaders("GET", "/wait/trap");

        filter.PendingCallouts[1].Respond(200);
        Assert.Equal(FilterAction.LocalReply, victimStep.Action);
        Assert.Equal(503, victimStep.LocalReply!.StatusCode);
        Assert.Contains(filter.HostLogs, line => line.Contains("proxy_on_http_call_response") && line.Contains("Unreachable"));

        Assert.True(bystanderStep.IsPaused);
        filter.PendingCallouts.Single().Respond(200);
        Assert.Equal(FilterAction.Continue, bystanderStep.Action);
        Assert.Equal("1", bystander.RequestHeaders["x-served-by-this-vm"]);
    }

    [Fact]
    public void A_fail_open_plugin_passes_the_failed_stream_through_and_the_paused_one_still_completes()
    {
        using var filter = ConformanceFilters.Load("failure", options: new HarnessOptions { FailOpen = true, Clusters = ["backend"] });
        var waiting = filter.NewExchange();
        var paused = waiting.SendRequestHeaders("GET", "/wait");
        Assert.Equal(FilterAction.Continue, filter.NewExchange().SendRequestHeaders("GET", "/trap").Action);
        filter.PendingCallouts.Single().Respond(200);
        Assert.Equal(FilterAction.Continue, paused.Action);
        Assert.Equal("200", waiting.RequestHeaders["x-callout-status"]);
    }

    [Fact]
    public void The_faulted_vm_is_discarded_when_its_last_stream_ends()
    {
        using var filter = LoadShared();
        var waiting = filter.NewExchange();
        waiting.SendRequestHeaders("GET", "/wait");
        var failing = filter.NewExchange();
        failing.SendRequestHeaders("GET", "/trap");
        var version = filter.Plugin.Current;
        Assert.Equal(2, version.LiveReplicas);

        failing.Complete();
        Assert.Equal(2, version.LiveReplicas);
        filter.PendingCallouts.Single().Respond(200);
        waiting.Complete();
        Assert.Equal(1, version.LiveReplicas);
    }

    [Fact]
    public void A_vm_that_fails_with_no_stream_on_it_is_discarded_at_once()
    {
        using var filter = LoadShared();
        var failing = filter.NewExchange();
        failing.SendRequestHeaders("GET", "/trap");
        failing.Complete();
        Assert.Equal(1, filter.Plugin.Current.LiveReplicas);
        Assert.Equal("1", filter.Request("GET", "/ok").RequestHeaders["x-served-by-this-vm"]);
    }

    private static List<string> Ticks(FilterHarness filter) =>
        filter.MessagesAtLeast(Abi.ProxyLogLevel.Info).Where(message => message.StartsWith("tick ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void A_stream_waiting_for_a_tick_of_the_faulted_vm_is_continued_by_that_tick()
    {
        using var filter = LoadShared();
        var waiting = filter.NewExchange();
        var paused = waiting.SendRequestHeaders("GET", "/tick-wait");
        Assert.Equal(503, filter.NewExchange().SendRequestHeaders("GET", "/trap").LocalReply!.StatusCode);
        Assert.True(paused.IsPaused);

        filter.AdvanceTime(TimeSpan.FromSeconds(1));
        Assert.Equal(FilterAction.Continue, paused.Action);
        Assert.Equal("1", waiting.RequestHeaders["x-continued-by-tick"]);
        // The faulted VM ticked for its waiting stream; the fresh one ticks on its own schedule.
        Assert.Contains("tick 1 waiting=1", Ticks(filter));
    }

    [Fact]
    public void A_tick_that_traps_stops_that_vms_ticks_while_its_streams_still_finish()
    {
        using var filter = LoadShared();
        var waiting = filter.NewExchange();
        var paused = waiting.SendRequestHeaders("GET", "/wait");
        filter.Request("GET", "/tick-trap").Complete();

        filter.AdvanceTime(TimeSpan.FromSeconds(1));
        Assert.Contains(filter.HostLogs, line => line.Contains("failed in proxy_on_tick") && line.Contains("Unreachable"));
        Assert.Equal(1, filter.Info.Failures);
        Assert.Equal(["tick 1 waiting=0"], Ticks(filter));

        filter.PendingCallouts.Single().Respond(200);
        Assert.Equal(FilterAction.Continue, paused.Action);

        // Two more seconds: only the fresh VM ticks (the faulted one would trap again at each tick).
        filter.AdvanceTime(TimeSpan.FromSeconds(1));
        filter.AdvanceTime(TimeSpan.FromSeconds(1));
        Assert.Equal(1, filter.Info.Failures);
        Assert.Equal(["tick 1 waiting=0", "tick 1 waiting=0", "tick 2 waiting=0"], Ticks(filter));
    }
}
