using System.Collections.Concurrent;
using System.Text;
using ImageHub.ProxyWasm.Testing;
using ImageHub.ProxyWasm.Tests.Conformance;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Tests.Embedding;

/// <summary>The host as the sidecar uses it: real threads, async callouts, hot swap.</summary>
public class EmbedderApiTests
{
    private static readonly byte[] Conformance = File.ReadAllBytes(ConformanceFilters.Path("conformance"));

    // The harness's engine: our WasmEngine, compiling each module once per test run.
    private static IWasmEngine Engine => FilterHarness.EngineFactory();

    private sealed class SlowBackend(TimeSpan delay) : IHttpCalloutDispatcher
    {
        public ConcurrentQueue<HttpCalloutRequest> Seen { get; } = new();

        public bool HasCluster(string cluster) => cluster == "backend";

        public async Task<HttpCalloutResponse> SendAsync(HttpCalloutRequest request, CancellationToken cancellationToken)
        {
            Seen.Enqueue(request);
            await Task.Delay(delay, cancellationToken);
            return HttpCalloutResponse.Create(200, Encoding.UTF8.GetBytes("ok:" + request.Path));
        }
    }

    private static PluginOptions Plugin(string rootId, int replicas = 2, string configuration = "{}") => new()
    {
        Name = "under-test", Module = Conformance, RootId = rootId, Configuration = configuration, Replicas = replicas,
    };

    [Fact]
    public async Task A_paused_stream_completes_when_the_callout_answers_on_another_thread()
    {
        var backend = new SlowBackend(TimeSpan.FromMilliseconds(30));
        using var host = new ProxyWasmHost(Engine, new ProxyWasmHostOptions { Callouts = backend });
        var plugin = host.LoadPlugin(Plugin("callout"));

        using var stream = plugin.OpenStream();
        var headers = HeaderMap.Of((":method", "GET"), (":path", "/p"), (":authority", "a"), (":scheme", "http"));
        var pending = stream.OnRequestHeadersAsync(headers, endOfStream: true);
        Assert.False(pending.IsCompleted);

        var result = await pending;
        Assert.Equal(FilterAction.Continue, result.Action);
        Assert.Equal("ok:/check?path=/p", headers["x-callout-body"]);
    }

    [Fact]
    public async Task Many_concurrent_streams_over_two_replicas_all_complete()
    {
        var backend = new SlowBackend(TimeSpan.FromMilliseconds(5));
        using var host = new ProxyWasmHost(Engine, new ProxyWasmHostOptions { Callouts = backend });
        var plugin = host.LoadPlugin(Plugin("callout"));

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            using var stream = plugin.OpenStream();
            var headers = HeaderMap.Of((":method", "GET"), (":path", "/r" + i), (":authority", "a"), (":scheme", "http"));
            var result = await stream.OnRequestHeadersAsync(headers, true);
            var response = await stream.OnResponseHeadersAsync(HeaderMap.Of((":status", "200")), true);
            return (Request: result.Action, Response: response.Action, Body: headers["x-callout-body"], Reply: result.LocalReply?.Details);
        })));

        // A reply's details say why a request did not continue (callout_denied 504: the callout timed out).
        Assert.All(results, r => Assert.Equal((FilterAction.Continue, FilterAction.Continue, (string?)null), (r.Request, r.Response, r.Reply)));
        Assert.Equal(64, results.Select(r => r.Body).Distinct().Count());
        Assert.Equal(64, plugin.Info.Streams);
        Assert.Equal(0, plugin.Info.ActiveStreams);
    }

    [Fact]
    public async Task Streams_that_trap_among_streams_waiting_on_callouts_fail_alone_on_real_threads()
    {
        var backend = new SlowBackend(TimeSpan.FromMilliseconds(5));
        using var host = new ProxyWasmHost(Engine, new ProxyWasmHostOptions { Callouts = backend });
        var plugin = host.LoadPlugin(Plugin("failure"));

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var path = i % 4 == 3 ? "/trap" : "/wait";
            using var stream = plugin.OpenStream();
            var headers = HeaderMap.Of((":method", "GET"), (":path", path), (":authority", "a"), (":scheme", "http"));
            var result = await stream.OnRequestHeadersAsync(headers, true);
            return (Path: path, result.Action, Status: result.LocalReply?.StatusCode, Callout: headers["x-callout-status"]);
        })));

        Assert.All(results.Where(r => r.Path == "/trap"), r => Assert.Equal((FilterAction.LocalReply, (int?)503), (r.Action, r.Status)));
        Assert.All(results.Where(r => r.Path == "/wait"), r => Assert.Equal((FilterAction.Continue, "200"), (r.Action, r.Callout)));
        Assert.Equal(16, plugin.Info.Failures);
        Assert.Equal(0, plugin.Info.ActiveStreams);
        // Every faulted replica was discarded with its last stream: what lives is what the two slots hold
        // (a slot may still be waiting for its rebuild).
        Assert.InRange(plugin.Current.LiveReplicas, 1, 2);
    }

    [Fact]
    public async Task Shared_data_writes_from_parallel_replicas_never_lose_an_update_silently()
    {
        using var host = new ProxyWasmHost(Engine);
        var plugin = host.LoadPlugin(Plugin("shared", replicas: 2));
        // Seeded, so every write is conditional (CAS 0 would be an unconditional write).
        host.SharedData.Set("", "hits", "0"u8, 0);
        var writes = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            using var stream = plugin.OpenStream();
            var headers = HeaderMap.Of((":method", "GET"), (":path", "/"), (":authority", "a"));
            await stream.OnRequestHeadersAsync(headers, true);
            return headers["x-write"];
        })));

        host.SharedData.Get("", "hits", out var value, out _);
        // Every write that reported success (0) counted; the others reported CasMismatch (8).
        Assert.All(writes, w => Assert.True(w is "0" or "8", w));
        Assert.Equal(writes.Count(w => w == "0").ToString(), Encoding.UTF8.GetString(value));
    }

    [Fact]
    public async Task Hot_swap_sends_new_streams_to_the_new_version_and_lets_old_ones_finish()
    {
        using var host = new ProxyWasmHost(Engine);
        var handle = host.LoadPlugin(Plugin("local-reply"));
        using var old = handle.OpenStream();
        await old.OnRequestHeadersAsync(HeaderMap.Of((":method", "GET"), (":path", "/"), (":authority", "a")), true);

        var swapped = host.LoadPlugin(Plugin("headers"));
        Assert.Same(handle, swapped);
        Assert.Equal("headers", handle.Info.RootId);

        var oldResponse = HeaderMap.Of((":status", "200"));
        await old.OnResponseHeadersAsync(oldResponse, true);
        Assert.Equal("200", oldResponse["x-response-saw"]);

        using var fresh = handle.OpenStream();
        var freshRequest = HeaderMap.Of((":method", "GET"), (":path", "/n"), (":authority", "a"));
        await fresh.OnRequestHeadersAsync(freshRequest, true);
        Assert.Equal("/n GET a", freshRequest["x-path-seen"]);
    }

    [Fact]
    public void A_failed_hot_swap_keeps_the_running_version()
    {
        using var host = new ProxyWasmHost(Engine);
        var handle = host.LoadPlugin(Plugin("lifecycle"));
        var before = handle.Info.LoadedAt;
        Assert.Throws<PluginLoadException>(() => host.LoadPlugin(Plugin("lifecycle", configuration: "reject")));
        Assert.Equal(before, handle.Info.LoadedAt);
        Assert.Single(host.Plugins);
    }

    [Fact]
    public async Task A_cancelled_wait_abandons_the_paused_stream()
    {
        var backend = new SlowBackend(TimeSpan.FromMinutes(5));
        using var host = new ProxyWasmHost(Engine, new ProxyWasmHostOptions { Callouts = backend });
        var plugin = host.LoadPlugin(Plugin("callout"));
        using var stream = plugin.OpenStream();
        using var abort = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var headers = HeaderMap.Of((":method", "GET"), (":path", "/p"), (":authority", "a"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.OnRequestHeadersAsync(headers, true, abort.Token));
    }

    [Fact]
    public void Streams_are_spread_over_the_replicas()
    {
        using var host = new ProxyWasmHost(Engine);
        var plugin = host.LoadPlugin(Plugin("lifecycle", replicas: 2));
        using var first = plugin.OpenStream();
        using var second = plugin.OpenStream();
        // Each replica numbers its own contexts from 2: two streams on two VMs both get id 2.
        Assert.Equal(2, first.ContextId);
        Assert.Equal(2, second.ContextId);
    }
}
