using System.Net;
using System.Text.Json;
using ImageHub.ProxyWasm;
using ImageHub.Sidecar.Filters.ProxyWasm;
using ImageHub.Sidecar.Tests.Support;

namespace ImageHub.Sidecar.Tests;

/// <summary>
/// DELETE /filters/{name} unloads the plugin from the Proxy-Wasm host once the requests in flight
/// on it have ended: each replica's root gets on_done/on_delete (the conformance module's
/// "lifecycle" root logs both), its wasmcustom metrics leave /stats, the sidecar keeps serving.
/// A hot swap under the same name unloads nothing. /filters shows live (draining) replicas.
/// </summary>
[Collection("real wasm")]
public class UnloadFilterTests : IAsyncLifetime
{
    private readonly LogLines _logs = new();
    private AddedFilterSidecar _sidecar = null!;

    public async Task InitializeAsync() => _sidecar = await AddedFilterSidecar.StartAsync(_logs.Factory);

    public async Task DisposeAsync() => await _sidecar.DisposeAsync();

    private PluginHandle HandleOf(string name) => ((WasmHttpFilter)_sidecar.Sidecar.Host.Filters.Find(name)!.Current!.Filter).Plugin;

    private async Task<JsonElement> Json(string path) => JsonDocument.Parse(await _sidecar.Admin.GetStringAsync(path)).RootElement;

    /// <summary>A request's filter streams end (and its lease returns) just after the client has the response.</summary>
    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(condition(), what);
    }

    /// <summary>A request whose response has started (headers through the filters) and waits for the upstream's last chunk.</summary>
    private async Task<HttpResponseMessage> StartHeldRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/stream");
        request.Headers.Host = "acme.localhost";
        var response = await _sidecar.Sidecar.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private int Logged(string line) => _logs.Lines.Count(l => l == line);

    [Fact]
    public async Task Delete_unloads_the_plugin_after_the_request_in_flight_and_its_roots_end()
    {
        using (var added = await _sidecar.PostModuleAsync("gone", "root_id=lifecycle"))
            await AddedFilterSidecar.ExpectStatus(added, HttpStatusCode.Created);
        var handle = HandleOf("gone");
        using var held = await StartHeldRequest();

        using (var deleted = await _sidecar.Admin.DeleteAsync("/filters/gone"))
            await AddedFilterSidecar.ExpectStatus(deleted, HttpStatusCode.OK);
        using (var listed = await _sidecar.Admin.GetAsync("/filters/gone"))
            Assert.Equal(HttpStatusCode.NotFound, listed.StatusCode);
        // The request in flight still holds the plugin: nothing ended yet.
        Assert.False(handle.IsUnloaded);
        Assert.Equal(0, Logged("wasm log gone lifecycle: root_done 1"));

        _sidecar.Upstream.ReleaseStream.SetResult();
        Assert.Equal("first-chunk\nlast-chunk\n", await held.Content.ReadAsStringAsync());
        await Eventually(() => handle.IsUnloaded && handle.Info.LiveReplicas == 0, "the plugin is unloaded once the request ended");

        // Both replicas' roots (context id 1 in each VM) ended, after the stream's own end.
        Assert.Equal(2, handle.Info.Replicas);
        Assert.Equal(2, Logged("wasm log gone lifecycle: root_done 1"));
        Assert.Equal(2, Logged("wasm log gone lifecycle: root_delete 1"));
        var lines = _logs.Lines.ToList();
        Assert.True(lines.FindLastIndex(l => l.StartsWith("wasm log gone lifecycle: delete ", StringComparison.Ordinal)) < lines.FindIndex(l => l == "wasm log gone lifecycle: root_done 1"));
        Assert.Contains(_logs.Lines, l => l.Contains("'gone': unloaded", StringComparison.Ordinal));

        using var next = await _sidecar.GetAsync("/echo");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Delete_drops_the_filters_own_metrics_and_a_new_add_starts_them_from_zero()
    {
        using (var added = await _sidecar.PostModuleAsync("counted", "root_id=metrics"))
            await AddedFilterSidecar.ExpectStatus(added, HttpStatusCode.Created);
        (await _sidecar.GetAsync("/echo")).Dispose();
        (await _sidecar.GetAsync("/echo")).Dispose();
        Assert.Contains("wasmcustom.conformance.requests: 2", await _sidecar.Admin.GetStringAsync("/stats"));
        Assert.Contains("{plugin=\"counted\"}", await _sidecar.Admin.GetStringAsync("/stats/prometheus"));

        using (var deleted = await _sidecar.Admin.DeleteAsync("/filters/counted"))
            await AddedFilterSidecar.ExpectStatus(deleted, HttpStatusCode.OK);
        string stats = "", prometheus = "";
        await Eventually(() =>
        {
            stats = _sidecar.Admin.GetStringAsync("/stats").Result;
            prometheus = _sidecar.Admin.GetStringAsync("/stats/prometheus").Result;
            return !stats.Contains("wasmcustom.conformance") && !prometheus.Contains("plugin=\"counted\"");
        }, "the filter's metrics leave /stats and /stats/prometheus");

        using (var readded = await _sidecar.PostModuleAsync("counted", "root_id=metrics"))
            await AddedFilterSidecar.ExpectStatus(readded, HttpStatusCode.Created);
        (await _sidecar.GetAsync("/echo")).Dispose();
        Assert.Contains("wasmcustom.conformance.requests: 1", await _sidecar.Admin.GetStringAsync("/stats"));
    }

    [Fact]
    public async Task Deleting_a_bootstrap_filter_unloads_its_plugin_and_a_new_load_brings_a_fresh_one()
    {
        var first = HandleOf("multi-tenancy");
        using (var deleted = await _sidecar.Admin.DeleteAsync("/filters/multi-tenancy"))
            await AddedFilterSidecar.ExpectStatus(deleted, HttpStatusCode.OK);
        await Eventually(() => first.IsUnloaded, "the bootstrap filter's plugin is unloaded");
        Assert.Contains(_logs.Lines, l => l.StartsWith("wasm filter 'multi-tenancy': unloaded", StringComparison.Ordinal));

        using (var loaded = await _sidecar.Admin.PostAsync("/filters/multi-tenancy", new StringContent("""{"path": "multi-tenancy.wasm"}""", System.Text.Encoding.UTF8, "application/json")))
            await AddedFilterSidecar.ExpectStatus(loaded, HttpStatusCode.OK);
        var second = HandleOf("multi-tenancy");
        Assert.NotSame(first, second);
        using (var unknown = await _sidecar.GetAsync("/echo", host: "nobody.localhost"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Replacing_a_filters_code_keeps_its_plugin_loaded()
    {
        var handle = HandleOf("multi-tenancy");
        (await _sidecar.GetAsync("/echo")).Dispose();
        using (var replaced = await _sidecar.Admin.PostAsync("/filters/multi-tenancy", new StringContent("""{"path": "multi-tenancy.wasm"}""", System.Text.Encoding.UTF8, "application/json")))
            await AddedFilterSidecar.ExpectStatus(replaced, HttpStatusCode.OK);
        // The old version is disposed once its last request ended; it must not take the handle with it.
        await Task.Delay(200);
        Assert.False(handle.IsUnloaded);
        Assert.Same(handle, HandleOf("multi-tenancy"));
        Assert.Equal(2, handle.Version);
        using (var unknown = await _sidecar.GetAsync("/echo", host: "nobody.localhost"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Filters_shows_a_faulted_replica_as_live_until_its_request_in_flight_ends()
    {
        using (var added = await _sidecar.PostModuleAsync("fragile", "root_id=failure"))
            await AddedFilterSidecar.ExpectStatus(added, HttpStatusCode.Created);
        var listed = await Json("/filters/fragile");
        Assert.Equal(2, listed.GetProperty("replicas").GetInt32());
        Assert.Equal(2, listed.GetProperty("liveReplicas").GetInt32());

        // Streams go round robin over the two replicas: the held request and the trap share one.
        using var held = await StartHeldRequest();
        (await _sidecar.GetAsync("/echo")).Dispose();
        using (var trapped = await _sidecar.GetAsync("/trap"))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, trapped.StatusCode);

        listed = await Json("/filters/fragile");
        Assert.Equal(3, listed.GetProperty("liveReplicas").GetInt32());
        Assert.Equal(3, listed.GetProperty("host").GetProperty("liveReplicas").GetInt32());
        Assert.Equal(1, listed.GetProperty("host").GetProperty("replicaRebuilds").GetInt64());
        var inList = (await Json("/filters")).EnumerateArray().Single(f => f.GetProperty("name").GetString() == "fragile");
        Assert.Equal(3, inList.GetProperty("liveReplicas").GetInt32());

        _sidecar.Upstream.ReleaseStream.SetResult();
        Assert.Equal("first-chunk\nlast-chunk\n", await held.Content.ReadAsStringAsync());
        await Eventually(() => Json("/filters/fragile").Result.GetProperty("liveReplicas").GetInt32() == 2, "the faulted replica is discarded after its last request");
    }
}
