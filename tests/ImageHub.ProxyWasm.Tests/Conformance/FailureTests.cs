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

    [Fact]
    public void Other_streams_bound_to_a_failed_replica_fail_by_the_same_policy_and_new_ones_do_not()
    {
        using var filter = ConformanceFilters.Load("failure");
        var bystander = filter.Request("GET", "/ok");
        filter.NewExchange().SendRequestHeaders("GET", "/trap");

        // Its VM is gone: the response cannot be filtered, so the stream answers 503 like Envoy's failStream.
        var response = bystander.SendResponseHeaders(200);
        Assert.Equal(503, response.LocalReply!.StatusCode);

        var fresh = filter.Request("GET", "/ok");
        Assert.Equal(FilterAction.Continue, fresh.SendResponseHeaders(200).Action);
    }
}
