using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>Modules written directly against ABI 0.1.0 and 0.2.1 (the SDK filter covers 0.2.0).</summary>
public class AbiVersionTests
{
    [Fact]
    public void An_abi_010_module_gets_two_argument_callbacks_get_configuration_and_continue_request()
    {
        using var filter = FilterHarness.Load(ConformanceFilters.Path("abi-v010"), "v010-config");
        Assert.Equal("0.1.0", filter.Info.AbiVersion);
        Assert.Equal(["create 1 parent=0", "configuration=v010-config"], filter.LogMessages);

        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders("GET", "/");
        Assert.Equal(FilterAction.Continue, step.Action);
        Assert.Equal("0.1.0", exchange.RequestHeaders["x-abi"]);
        Assert.Equal("4", exchange.RequestHeaders["x-headers"]);
        // Under 0.1.0 Envoy answers a missing header with Ok and an empty value.
        Assert.Equal("status=0 value=[]", exchange.RequestHeaders["x-missing"]);
    }

    [Fact]
    public void An_abi_021_module_is_initialized_first_allocates_with_proxy_on_memory_allocate_and_reads_the_log_level()
    {
        using var filter = FilterHarness.Load(ConformanceFilters.Path("abi-v021"), "{}", new HarnessOptions { VmConfiguration = "vm!" });
        Assert.Equal("0.2.1", filter.Info.AbiVersion);
        Assert.Equal(["initialize", "create 1 parent=0", "vm_start 3"], filter.LogMessages);

        var exchange = filter.NewExchange();
        exchange.SendRequestHeaders(HeaderMap.Of((":method", "POST"), (":path", "/"), (":authority", "x")), endOfStream: false);
        Assert.Equal("0.2.1", exchange.RequestHeaders["x-abi"]);
        Assert.Equal("0", exchange.RequestHeaders["x-log-level"]);
        Assert.Equal("1", exchange.RequestHeaders["x-missing-status"]);
        Assert.Equal("0", exchange.RequestHeaders["x-end-of-stream"]);
        Assert.Equal(["initialize", "create 1 parent=0", "vm_start 3", "create 2 parent=1"], filter.LogMessages);
    }
}
