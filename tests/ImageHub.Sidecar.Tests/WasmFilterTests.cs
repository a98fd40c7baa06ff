using System.Net;
using System.Text.Json;
using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Tests.Support;

namespace ImageHub.Sidecar.Tests;

/// <summary>
/// Real .wasm, compiled from source by the build, run by the sidecar on our Proxy-Wasm host and
/// engine: the host's conformance filter, whose "headers" root marks requests (<c>x-path-seen</c>)
/// and responses (<c>x-rewritten: 1</c>), "callout" root asks cluster "backend" before letting a
/// request through, and "metrics" root counts requests.
/// </summary>
[Collection("real wasm")]
public class WasmFilterTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;
    private string _dir = null!;
    private string _wasm = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _dir = Path.GetDirectoryName(TestBootstrap.WriteTemp("", "placeholder"))!;
        _wasm = Path.Combine(_dir, "conformance.wasm");
        File.Copy(RepoPaths.BuiltWasm(RepoPaths.ConformanceFilter), _wasm);
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private Task<RunningSidecar> Start(bool hotReload = false, string rootId = "headers", int? backendPort = null)
    {
        var path = Path.Combine(_dir, "bootstrap.yaml");
        var backend = $$"""
            - name: backend
              type: STATIC
              connect_timeout: 1s
              load_assignment:
                cluster_name: backend
                endpoints:
                - lb_endpoints:
                  - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: {{backendPort ?? _upstream.Port}} } } }
            """;
        File.WriteAllText(path, TestBootstrap.Yaml(_upstream.Port,
            httpFilters: TestBootstrap.WasmFilter("conformance", "conformance.wasm", rootId: rootId),
            extraClusters: backend));
        return RunningSidecar.StartWithHostAsync(path, hotReload);
    }

    /// <summary>The same module with a custom section appended: valid, same behaviour, another sha256.</summary>
    private byte[] Variant(byte marker)
    {
        var bytes = File.ReadAllBytes(RepoPaths.BuiltWasm(RepoPaths.ConformanceFilter)).ToList();
        bytes.AddRange([0x00, 0x03, 0x01, (byte)'v', marker]);
        return [.. bytes];
    }

    [Fact]
    public async Task The_filter_runs_on_every_response()
    {
        await using var sidecar = await Start();
        using var response = await sidecar.Client.GetAsync("/echo");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("x-rewritten").Single());
        var echo = await EchoedRequest.ReadAsync(response);
        Assert.Equal("/echo GET " + sidecar.Client.BaseAddress!.Authority, echo.Headers["x-path-seen"]);

        var filter = JsonDocument.Parse(await sidecar.Admin.GetStringAsync("/filters/conformance")).RootElement;
        Assert.StartsWith("0.", filter.GetProperty("abiVersion").GetString());
        Assert.Equal(1, filter.GetProperty("counters").GetProperty("requests").GetInt64());
        Assert.Equal(1, filter.GetProperty("host").GetProperty("streams").GetInt64());
    }

    [Fact]
    public async Task A_callout_goes_to_the_named_cluster_while_the_request_waits()
    {
        await using var sidecar = await Start(rootId: "callout");
        using var response = await sidecar.Client.GetAsync("/echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await EchoedRequest.ReadAsync(response);
        // The filter put the backend's answer (our echo of its POST /check) on the request.
        var callout = System.Text.Json.JsonDocument.Parse(echo.Headers["x-callout-body"]).RootElement;
        Assert.Equal("POST", callout.GetProperty("method").GetString());
        Assert.Equal("/check?path=/echo", callout.GetProperty("path").GetString());
        Assert.Equal("check /echo", callout.GetProperty("body").GetString());
        Assert.Equal("alice", callout.GetProperty("headers").GetProperty("x-user").GetString());
        Assert.Equal(2, sidecar.Host.Clusters.Find("app")!.RequestsTotal.Value + sidecar.Host.Clusters.Find("backend")!.RequestsTotal.Value);
    }

    [Fact]
    public async Task A_callout_to_a_dead_cluster_gets_envoys_503_and_the_filter_decides()
    {
        await using var sidecar = await Start(rootId: "callout", backendPort: TestBootstrap.UnusedPort());
        using var response = await sidecar.Client.GetAsync("/echo");

        // The filter answers non-200 callouts with a local reply carrying that status and body.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("connection failure", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, sidecar.Host.Clusters.Find("app")!.RequestsTotal.Value);
    }

    [Fact]
    public async Task Filter_metrics_show_in_stats_and_prometheus()
    {
        await using var sidecar = await Start(rootId: "metrics");
        for (var i = 0; i < 3; i++) (await sidecar.Client.GetAsync("/echo")).Dispose();

        Assert.Contains("wasmcustom.conformance.requests: 3\n", await sidecar.Admin.GetStringAsync("/stats"));
        Assert.Contains("envoy_wasmcustom_conformance_requests{plugin=\"conformance\"} 3", await sidecar.Admin.GetStringAsync("/stats/prometheus"));
    }

    [Fact]
    public async Task A_module_that_is_not_wasm_is_refused_with_the_reason()
    {
        await using var sidecar = await Start();
        using var bad = await sidecar.Admin.PostAsync("/filters/conformance", new ByteArrayContent("not wasm at all"u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("filter conformance:", await bad.Content.ReadAsStringAsync());
        using var response = await sidecar.Client.GetAsync("/echo");
        Assert.Equal("1", response.Headers.GetValues("x-rewritten").Single());
    }

    [Fact]
    public async Task Swapping_under_load_fails_no_request()
    {
        await using var sidecar = await Start(hotReload: true);
        var slot = sidecar.Host.Filters.Find("conformance")!;
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var served = 0;

        async Task Worker()
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await sidecar.Client.GetAsync("/echo");
                if (response.StatusCode != HttpStatusCode.OK || !response.Headers.Contains("x-rewritten"))
                {
                    var text = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    lock (failures) failures.Add(text);
                }
                Interlocked.Increment(ref served);
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(Worker)).ToList();
        // One swap through the admin API, one by writing the file (hot reload), one broken file that must be ignored.
        using (var upload = await sidecar.Admin.PostAsync("/filters/conformance", new ByteArrayContent(Variant(1))))
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        await File.WriteAllBytesAsync(_wasm, Variant(2));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (slot.Current!.Generation < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(3, slot.Current.Generation);
        await File.WriteAllBytesAsync(_wasm, [0x00, 0x61, 0x73, 0x6d, 0x01]);
        await Task.Delay(FilterFileWatcher.Debounce * 4);

        stop.Cancel();
        await Task.WhenAll(workers);
        Assert.Empty(failures);
        Assert.True(served > 0);
        Assert.Equal(3, slot.Current!.Generation);
    }
}
