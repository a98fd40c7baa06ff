using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Bench;

/// <summary>
/// A request-headers + response-headers round trip (then on_done/on_log/on_delete) through a
/// pass-through and a header-adding filter, via the test harness and via the embedder API the
/// sidecar uses. Each filter exists twice: written with the AssemblyScript SDK
/// (proxy-runtime 0.1.8, which builds and logs ten debug lines per stream inside the VM
/// whatever the log level) and written against the raw ABI (the host's own cost).
/// </summary>
internal static class Cases
{
    public static IEnumerable<BenchCase> All(BenchOptions options)
    {
        var filters = new (string Name, string Wasm, string RootId, string Configuration)[]
        {
            ("SDK pass-through", options.ConformancePath, "pass-through", "{}"),
            ("SDK add-header", options.ConformancePath, "add-header", "{}"),
            ("raw pass-through", options.RawPath, "", "pass-through"),
            ("raw add-header", options.RawPath, "", "add-header"),
        };
        foreach (var (name, wasm, rootId, configuration) in filters)
        {
            yield return ThroughHarness(name, wasm, rootId, configuration);
            yield return ThroughHost(name, wasm, rootId, configuration);
        }
    }

    private static BenchCase ThroughHarness(string name, string wasmPath, string rootId, string configuration)
    {
        var harness = FilterHarness.Load(wasmPath, configuration, new HarnessOptions { RootId = rootId, Name = name, LogLevel = Abi.ProxyLogLevel.Info });
        return new BenchCase(name, "harness", () =>
        {
            var exchange = harness.NewExchange();
            exchange.SendRequestHeaders("GET", "/api/images/42", "acme.localhost");
            exchange.SendResponseHeaders(200, true, ("content-type", "image/png"));
            exchange.Complete();
        }, harness);
    }

    private static BenchCase ThroughHost(string name, string wasmPath, string rootId, string configuration)
    {
        var host = new ProxyWasmHost(FilterHarness.EngineFactory());
        var plugin = host.LoadPlugin(new PluginOptions
        {
            Name = name, RootId = rootId, Module = File.ReadAllBytes(wasmPath), Configuration = configuration, Replicas = 1,
        });
        var info = new StreamInfo { SourceAddress = "127.0.0.1", SourcePort = 5000 };
        return new BenchCase(name, "host API", () =>
        {
            var stream = plugin.OpenStream(info);
            var request = HeaderMap.Of((":method", "GET"), (":path", "/api/images/42"), (":authority", "acme.localhost"), (":scheme", "http"));
            var first = stream.OnRequestHeadersAsync(request, true);
            if (!first.IsCompleted || first.Result.Action != FilterAction.Continue) throw new InvalidOperationException("request did not continue");
            var response = HeaderMap.Of((":status", "200"), ("content-type", "image/png"));
            var second = stream.OnResponseHeadersAsync(response, true);
            if (!second.IsCompleted || second.Result.Action != FilterAction.Continue) throw new InvalidOperationException("response did not continue");
            stream.Complete();
        }, host);
    }
}
