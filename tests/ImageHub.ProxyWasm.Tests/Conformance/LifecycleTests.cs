using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>The order and arguments of the callbacks, as Envoy calls them.</summary>
public class LifecycleTests
{
    private static List<string> Logged(FilterHarness filter) => filter.MessagesAtLeast(ProxyLogLevel.Info).ToList();

    [Fact]
    public void Loading_starts_the_root_context_with_the_vm_and_plugin_configuration()
    {
        using var filter = ConformanceFilters.Load("lifecycle", """{"greeting":"hi"}""", new HarnessOptions { VmConfiguration = "vm-config" });
        Assert.Equal(["vm_start root=1 vm_config=vm-config", """configure root=1 config={"greeting":"hi"}"""], Logged(filter));
    }

    [Fact]
    public void A_full_exchange_runs_every_stream_callback_in_envoys_order()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        var exchange = filter.NewExchange();
        exchange.SendRequestHeaders(HeaderMap.Of((":method", "POST"), (":path", "/upload"), (":authority", "acme.localhost"), (":scheme", "http")), endOfStream: false);
        exchange.SendRequestBody("hello", endOfStream: false);
        exchange.SendRequestTrailers(("grpc-status", "0"));
        exchange.SendResponseHeaders(200, endOfStream: false, ("content-type", "text/plain"));
        exchange.SendResponseBody("done", endOfStream: false);
        exchange.SendResponseTrailers(("x-t", "1"), ("x-u", "2"));
        exchange.Complete();

        var id = exchange.ContextId;
        Assert.Equal(2, id);
        Assert.Equal(
        [
            $"create {id} root=1",
            $"request_headers {id} count=4 eos=0",
            $"request_body {id} size=5 eos=0",
            $"request_trailers {id} count=1",
            $"response_headers {id} count=2 eos=0",
            $"response_body {id} size=4 eos=0",
            $"response_trailers {id} count=2",
            $"done {id}",
            $"log {id}",
            $"delete {id}",
        ], Logged(filter).Skip(2));
    }

    [Fact]
    public void Each_stream_gets_its_own_context_id()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        var first = filter.Request("GET", "/a");
        var second = filter.Request("GET", "/b");
        Assert.NotEqual(first.ContextId, second.ContextId);
        Assert.Contains($"request_headers {second.ContextId} count=4 eos=1", Logged(filter));
    }

    [Fact]
    public void A_stream_that_never_reached_the_filter_gets_no_callbacks_at_all()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        var exchange = filter.NewExchange();
        exchange.Complete();
        Assert.Equal(2, Logged(filter).Count);
    }

    [Fact]
    public void A_configuration_the_filter_refuses_fails_the_load_with_the_reason()
    {
        var error = Assert.Throws<PluginLoadException>(() => ConformanceFilters.Load("lifecycle", "reject"));
        Assert.Contains("proxy_on_configure returned false", error.Message);
        Assert.Contains("plugin 'lifecycle'", error.Message);
    }

    [Fact]
    public void Plugin_info_describes_the_loaded_module()
    {
        using var filter = ConformanceFilters.Load("lifecycle", options: new HarnessOptions { Replicas = 3 });
        filter.Request("GET", "/").Complete();
        var info = filter.Info;
        Assert.Equal("lifecycle", info.Name);
        Assert.Equal("0.2.0", info.AbiVersion);
        Assert.Equal(3, info.Replicas);
        Assert.Equal(64, info.Sha256.Length);
        Assert.Equal(1, info.Streams);
        Assert.Equal(0, info.ActiveStreams);
    }
}
