using System.Runtime.CompilerServices;
using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Testing;
using ImageHub.ProxyWasm.Tests.Conformance;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Tests.Embedding;

/// <summary>
/// Unloading a plugin from a running host: it leaves the host at once, streams in flight finish on
/// it, each replica's root then ends with on_done/on_delete (the lifecycle root logs both), its
/// metrics go, and its compiled module can be collected.
/// </summary>
public class UnloadTests
{
    private static List<string> Logged(FilterHarness filter) => filter.MessagesAtLeast(ProxyLogLevel.Info).ToList();

    [Fact]
    public void An_unloaded_plugin_leaves_the_host_and_its_root_gets_on_done_then_on_delete()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        filter.Request("GET", "/").Complete();
        Assert.Same(filter.Plugin, filter.Host.Find("lifecycle"));

        Assert.True(filter.Host.UnloadPlugin("lifecycle"));

        Assert.Null(filter.Host.Find("lifecycle"));
        Assert.Empty(filter.Host.Plugins);
        Assert.True(filter.Plugin.IsUnloaded);
        Assert.Equal(["root_done 1", "root_delete 1"], Logged(filter).TakeLast(2));
        Assert.Equal(0, filter.Info.LiveReplicas);
        var refused = Assert.Throws<ObjectDisposedException>(() => filter.Plugin.OpenStream());
        Assert.Contains("'lifecycle' was unloaded", refused.Message);
    }

    [Fact]
    public void Unloading_a_name_that_is_not_loaded_changes_nothing()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        Assert.False(filter.Host.UnloadPlugin("no-such-plugin"));
        Assert.True(filter.Host.UnloadPlugin("lifecycle"));
        Assert.False(filter.Host.UnloadPlugin("lifecycle"));
        Assert.False(filter.Plugin.Unload());
        Assert.Equal(1, Logged(filter).Count(line => line == "root_done 1"));
    }

    [Fact]
    public void A_stream_in_flight_finishes_on_the_unloaded_plugin_and_the_root_ends_after_it()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        var exchange = filter.Request("GET", "/in-flight");
        Assert.True(filter.Host.UnloadPlugin("lifecycle"));

        Assert.Null(filter.Host.Find("lifecycle"));
        Assert.DoesNotContain("root_done 1", Logged(filter));
        Assert.Equal(1, filter.Info.LiveReplicas);
        Assert.Equal(1, filter.Info.ActiveStreams);

        Assert.Equal(FilterAction.Continue, exchange.SendResponseHeaders(200).Action);
        exchange.Complete();
        Assert.Equal(["done 2", "log 2", "delete 2", "root_done 1", "root_delete 1"], Logged(filter).TakeLast(5));
        Assert.Equal(0, filter.Info.LiveReplicas);
        Assert.Equal(0, filter.Info.ActiveStreams);
    }

    [Fact]
    public void A_stream_opened_but_not_yet_started_when_the_plugin_is_unloaded_still_runs_on_it()
    {
        // The replica counts the stream from its opening, or the unload would end the root under it.
        using var filter = ConformanceFilters.Load("lifecycle");
        using var stream = filter.Plugin.OpenStream();
        Assert.True(filter.Host.UnloadPlugin("lifecycle"));
        Assert.Equal(1, filter.Info.LiveReplicas);
        Assert.Equal(1, filter.Info.ActiveStreams);
        Assert.DoesNotContain("root_done 1", Logged(filter));

        var request = HeaderMap.Of((":method", "GET"), (":path", "/late"), (":authority", "acme.localhost"), (":scheme", "http"));
        Assert.Equal(FilterAction.Continue, stream.OnRequestHeadersAsync(request, true).Result.Action);
        stream.Complete();

        var id = stream.ContextId;
        Assert.Equal([$"create {id} root=1", $"request_headers {id} count=4 eos=1", $"done {id}", $"log {id}", $"delete {id}", "root_done 1", "root_delete 1"],
            Logged(filter).TakeLast(7));
        Assert.Equal(0, filter.Info.LiveReplicas);
        Assert.Equal(0, filter.Info.ActiveStreams);
    }

    [Fact]
    public void A_stream_opened_but_never_started_lets_an_unloaded_plugin_end_when_it_completes()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        var stream = filter.Plugin.OpenStream();
        Assert.True(filter.Host.UnloadPlugin("lifecycle"));
        Assert.Equal(1, filter.Info.LiveReplicas);

        stream.Complete();

        Assert.Equal(["root_done 1", "root_delete 1"], Logged(filter).TakeLast(2));
        Assert.Equal(0, filter.Info.LiveReplicas);
    }

    [Fact]
    public void A_stream_opened_before_the_host_went_away_answers_by_the_failure_policy_at_its_first_step()
    {
        var filter = ConformanceFilters.Load("lifecycle");
        var stream = filter.Plugin.OpenStream();
        filter.Dispose();

        var request = HeaderMap.Of((":method", "GET"), (":path", "/"), (":authority", "acme.localhost"), (":scheme", "http"));
        var result = stream.OnRequestHeadersAsync(request, true).Result;
        Assert.Equal(FilterAction.LocalReply, result.Action);
        Assert.Equal(503, result.LocalReply!.StatusCode);
        Assert.DoesNotContain(Logged(filter), line => line.StartsWith("request_headers", StringComparison.Ordinal));
        stream.Complete();
    }

    [Fact]
    public void Unloading_a_version_a_hot_swap_replaced_is_refused_and_the_new_version_keeps_running()
    {
        using var filter = ConformanceFilters.Load("lifecycle");
        Assert.Equal(1, filter.Plugin.Version);
        filter.Host.LoadPlugin(new PluginOptions
        {
            Name = "lifecycle", RootId = "lifecycle", Configuration = "{}", Replicas = 1,
            Module = File.ReadAllBytes(ConformanceFilters.Path("conformance")),
        });
        Assert.Equal(2, filter.Plugin.Version);

        Assert.False(filter.Plugin.Unload(onlyVersion: 1));
        Assert.Same(filter.Plugin, filter.Host.Find("lifecycle"));
        Assert.Equal(FilterAction.Continue, filter.NewExchange().SendRequestHeaders("GET", "/").Action);

        Assert.True(filter.Plugin.Unload(onlyVersion: 2));
        Assert.Null(filter.Host.Find("lifecycle"));
    }

    [Fact]
    public void The_plugins_metrics_stay_while_it_drains_and_go_with_its_last_replica()
    {
        using var filter = ConformanceFilters.Load("metrics");
        filter.Request("GET", "/a").Complete();
        var draining = filter.Request("GET", "/b");
        Assert.Equal(2, filter.Metric("conformance.requests"));

        Assert.True(filter.Host.UnloadPlugin("metrics"));
        Assert.Equal(2, filter.Metric("conformance.requests"));
        Assert.Contains("plugin=\"metrics\"", filter.Host.Metrics.ToPrometheusText());

        draining.Complete();
        Assert.Empty(filter.Host.Metrics.Snapshot("metrics"));
        Assert.DoesNotContain("plugin=\"metrics\"", filter.Host.Metrics.ToPrometheusText());

        // Loaded again under the name, it starts from zero, as after a restart.
        var again = filter.Host.LoadPlugin(new PluginOptions
        {
            Name = "metrics", RootId = "metrics", Configuration = "{}", Replicas = 1,
            Module = File.ReadAllBytes(ConformanceFilters.Path("conformance")),
        });
        Assert.NotSame(filter.Plugin, again);
        using (var stream = again.OpenStream())
            stream.OnRequestHeadersAsync(HeaderMap.Of((":method", "GET"), (":path", "/c"), (":authority", "a"), (":scheme", "http")), true);
        Assert.Equal(1, filter.Host.Metrics.Find("metrics", "conformance.requests")!.Value);
    }

    [Fact]
    public void A_hot_swap_keeps_the_plugins_metrics()
    {
        using var filter = ConformanceFilters.Load("metrics");
        filter.Request("GET", "/a").Complete();
        filter.Host.LoadPlugin(new PluginOptions
        {
            Name = "metrics", RootId = "metrics", Configuration = "{}", Replicas = 1,
            Module = File.ReadAllBytes(ConformanceFilters.Path("conformance")),
        });
        Assert.Equal(1, filter.Metric("conformance.requests"));
    }

    [Fact]
    public void Live_replicas_count_a_faulted_replica_until_its_last_stream_ends()
    {
        using var filter = ConformanceFilters.Load("failure", options: new HarnessOptions { Replicas = 1, Clusters = ["backend"] });
        Assert.Equal(1, filter.Info.LiveReplicas);
        var waiting = filter.NewExchange();
        Assert.True(waiting.SendRequestHeaders("GET", "/wait").IsPaused);
        var trapped = filter.NewExchange();
        trapped.SendRequestHeaders("GET", "/trap");
        trapped.Complete();

        // The faulted VM drains its waiting stream off the slots; a fresh one took its slot.
        Assert.Equal(1, filter.Info.Replicas);
        Assert.Equal(2, filter.Info.LiveReplicas);

        filter.PendingCallouts.Single().Respond(200);
        waiting.Complete();
        Assert.Equal(1, filter.Info.LiveReplicas);
    }

    [Fact]
    public void The_compiled_module_can_be_collected_after_the_unload_even_while_the_handle_is_kept()
    {
        var host = new ProxyWasmHost(new WasmEngine());
        var (module, handle) = LoadServeAndUnload(host);

        for (var i = 0; i < 10 && module.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(module.IsAlive);
        Assert.True(handle.IsUnloaded);
        Assert.Equal(1, handle.Info.Streams);
        host.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Module, PluginHandle Handle) LoadServeAndUnload(ProxyWasmHost host)
    {
        var handle = host.LoadPlugin(new PluginOptions
        {
            Name = "collectable", RootId = "lifecycle", Configuration = "{}", Replicas = 2,
            Module = File.ReadAllBytes(ConformanceFilters.Path("conformance")),
        });
        var module = new WeakReference(handle.Current.Module);
        using (var stream = handle.OpenStream())
            stream.OnRequestHeadersAsync(HeaderMap.Of((":method", "GET"), (":path", "/"), (":authority", "a"), (":scheme", "http")), true);
        Assert.True(host.UnloadPlugin(handle));
        Assert.Throws<ObjectDisposedException>(() => handle.Current.Module);
        return (module, handle);
    }
}
