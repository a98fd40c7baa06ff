using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>
/// The end of a root context when its plugin is unloaded or replaced, and <c>proxy_done</c>, as
/// proxy-wasm-cpp-host does it (<c>WasmBase::startShutdown</c>, <c>WasmBase::done</c>): on_done;
/// true → on_delete; false → the root stays until it calls proxy_done, which answers Ok only then.
/// </summary>
public class RootShutdownTests
{
    private static List<string> Logged(FilterHarness filter) => filter.MessagesAtLeast(ProxyLogLevel.Info).ToList();

    // proxy-runtime logs "context id: <id>: onDone()" at debug in its RootContext.onDone; root ids are 1.
    private static int RootOnDoneCalls(FilterHarness filter) => filter.LogMessages.Count(message => message == "context id: 1: onDone()");

    [Fact]
    public void Unloading_the_plugin_runs_the_root_contexts_on_done_then_on_delete()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        var version = filter.Plugin.Current;
        filter.Plugin.Dispose();
        Assert.Equal(["root_done 1", "root_delete 1"], Logged(filter).Skip(2));
        Assert.Equal(0, version.LiveReplicas);
    }

    [Fact]
    public void The_root_ends_only_after_the_last_stream_of_its_vm()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        var exchange = filter.Request("GET", "/");
        filter.Plugin.Dispose();
        Assert.DoesNotContain("root_done 1", Logged(filter));

        exchange.Complete();
        Assert.Equal(["done 2", "log 2", "delete 2", "root_done 1", "root_delete 1"], Logged(filter).TakeLast(5));
    }

    [Fact]
    public void A_root_that_defers_on_done_stays_alive_until_it_calls_proxy_done()
    {
        using var filter = ConformanceFilters.Load("lifecycle", "linger");
        var version = filter.Plugin.Current;
        filter.Plugin.Dispose();
        Assert.Equal(["root_done 1 deferred"], Logged(filter).Skip(2));
        Assert.Equal(1, version.LiveReplicas);

        // Still ticking; proxy_done answers Ok (0) and on_delete follows after the tick returns.
        filter.AdvanceTime(TimeSpan.FromSeconds(1));
        Assert.Equal(["root_done 1 deferred", "root_tick proxy_done=0", "root_delete 1"], Logged(filter).Skip(2));
        Assert.Equal(0, version.LiveReplicas);

        filter.AdvanceTime(TimeSpan.FromSeconds(5));
        Assert.Equal(5, Logged(filter).Count);
    }

    [Fact]
    public void Proxy_done_answers_not_found_when_no_root_deferred_its_on_done()
    {
        using var filter = ConformanceFilters.Load("lifecycle", "linger");
        var exchange = filter.Request("GET", "/done");
        Assert.Equal(((int)WasmResult.NotFound).ToString(), exchange.RequestHeaders["x-proxy-done"]);
        exchange.Complete();
        Assert.Equal(1, filter.Plugin.Current.LiveReplicas);
    }

    [Fact]
    public void A_hot_swap_ends_the_old_versions_root_and_keeps_the_new_one()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        var old = filter.Plugin.Current;
        filter.Host.LoadPlugin(new PluginOptions
        {
            Name = "lifecycle", RootId = "lifecycle", Configuration = "{}", Replicas = 1,
            Module = File.ReadAllBytes(ConformanceFilters.Path("conformance")),
        });
        Assert.Equal(0, old.LiveReplicas);
        Assert.Equal(1, filter.Plugin.Current.LiveReplicas);
        Assert.Contains("root_delete 1", Logged(filter));
    }

    [Fact]
    public void A_faulted_vm_gets_no_on_done_when_it_is_discarded()
    {
        using var filter = ConformanceFilters.Load("failure");
        var failing = filter.NewExchange();
        failing.SendRequestHeaders("GET", "/trap");
        failing.Complete();
        Assert.Equal(0, RootOnDoneCalls(filter));

        // Only the fresh replica that replaced it ends with on_done.
        filter.Plugin.Dispose();
        Assert.Equal(1, RootOnDoneCalls(filter));
    }

    [Fact]
    public void A_root_waiting_for_proxy_done_whose_tick_traps_is_discarded()
    {
        using var filter = ConformanceFilters.Load("failure", "linger");
        filter.Request("GET", "/tick-trap").Complete();
        var version = filter.Plugin.Current;
        filter.Plugin.Dispose();
        Assert.Equal(1, version.LiveReplicas);

        filter.AdvanceTime(TimeSpan.FromSeconds(1));
        Assert.Equal(1, filter.Info.Failures);
        Assert.Equal(0, version.LiveReplicas);
    }
}
