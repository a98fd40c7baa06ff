using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Bench;

/// <summary>
/// A request-headers + response-headers round trip (then on_done/on_log/on_delete) through a
/// pass-through and a header-adding filter, via the test harness and via the embedder API the
/// sidecar uses, and the project's own two filters. Each test filter exists twice: written with the AssemblyScript SDK
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
        if (options.TenancyPath is { } tenancy && options.RateLimitPath is { } rateLimit)
            yield return ProjectFilters(tenancy, rateLimit);
    }

    // The committed bootstrap's configuration (infra/envoy/imagehub-sidecar.yaml): /healthz is
    // not a counted path, so the rate-limit filter decides without a callout.
    private const string TenancyConfiguration =
        """{ "tenants": [ { "id": "acme", "hosts": ["acme.localhost"] }, { "id": "globex", "hosts": ["globex.localhost"] } ] }""";
    private const string RateLimitConfiguration =
        """{ "signingKey": "imagehub-demo-signing-key-change-me-0123456789", "quotaCluster": "quota", "quotaTimeoutMs": 500, "failureMode": "open" }""";

    /// <summary>
    /// The project's two filters chained as the sidecar runs them (request headers in chain
    /// order, response headers in reverse, then each stream ends), with the headers a sidecar
    /// passes for <c>GET /healthz</c>: the filters' own wasm plus the host's path.
    /// </summary>
    private static BenchCase ProjectFilters(string tenancyPath, string rateLimitPath)
    {
        var host = new ProxyWasmHost(FilterHarness.EngineFactory());
        var tenancy = host.LoadPlugin(new PluginOptions
        {
            Name = "multi-tenancy", RootId = "multi_tenancy", Module = File.ReadAllBytes(tenancyPath), Configuration = TenancyConfiguration, Replicas = 1,
        });
        var rateLimit = host.LoadPlugin(new PluginOptions
        {
            Name = "rate-limit", RootId = "rate_limit", Module = File.ReadAllBytes(rateLimitPath), Configuration = RateLimitConfiguration, Replicas = 1,
        });
        var info = new StreamInfo { SourceAddress = "127.0.0.1", SourcePort = 5000, ListenerDirection = 1 };
        return new BenchCase("ImageHub filters", "host API", () =>
        {
            using var first = tenancy.OpenStream(info);
            using var second = rateLimit.OpenStream(info);
            var request = HeaderMap.Of((":method", "GET"), (":path", "/healthz"), (":authority", "acme.localhost"), (":scheme", "http"),
                ("user-agent", "wrk"), ("x-forwarded-for", "127.0.0.1"), ("x-forwarded-proto", "http"), ("x-request-id", "5f0c6a8e-2b7d-4c1e-9a3f-0d8b7e6c5a41"));
            Continue(first.OnRequestHeadersAsync(request, true));
            Continue(second.OnRequestHeadersAsync(request, true));
            var response = HeaderMap.Of((":status", "200"), ("content-type", "text/plain"), ("date", "Sun, 22 Nov 2026 08:00:00 GMT"), ("server", "Kestrel"), ("content-length", "7"));
            Continue(second.OnResponseHeadersAsync(response, false));
            Continue(first.OnResponseHeadersAsync(response, false));
        }, host);
    }

    private static void Continue(ValueTask<FilterResult> step)
    {
        if (!step.IsCompleted || step.Result.Action != FilterAction.Continue) throw new InvalidOperationException("the filters did not let the request through");
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
