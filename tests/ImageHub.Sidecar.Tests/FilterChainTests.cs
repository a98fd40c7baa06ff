using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Tests.Support;

namespace ImageHub.Sidecar.Tests;

/// <summary>The sidecar's chain mechanics and filter management, with scripted stand-ins for the host.</summary>
public class FilterChainTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;
    private readonly ScriptedFilterLoader _loader = new();
    private string _dir = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _dir = Path.GetDirectoryName(TestBootstrap.WriteTemp("", "placeholder"))!;
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private async Task<RunningSidecar> Start(bool hotReload = false, bool failOpenSecond = false, params string[] scripts)
    {
        var filters = new StringBuilder();
        for (var i = 0; i < scripts.Length; i++)
        {
            File.WriteAllText(Path.Combine(_dir, $"f{i}.wasm"), scripts[i]);
            filters.Append(TestBootstrap.WasmFilter($"f{i}", $"f{i}.wasm", failOpen: failOpenSecond && i == 1));
        }
        var path = Path.Combine(_dir, "bootstrap.yaml");
        File.WriteAllText(path, TestBootstrap.Yaml(_upstream.Port, httpFilters: filters.ToString()));
        return await RunningSidecar.StartFileAsync(path, _loader, hotReload);
    }

    [Fact]
    public async Task Filters_edit_the_request_in_order_and_the_response_in_reverse()
    {
        await using var sidecar = await Start(false, false, "tag one", "tag two");
        using var response = await sidecar.Client.GetAsync("/echo");
        var echo = await EchoedRequest.ReadAsync(response);

        Assert.Equal("f0:one, f1:two", echo.Headers["x-seen-by"]);
        Assert.Equal(["f1:two", "f0:one"], response.Headers.GetValues("x-response-by"));
    }

    [Fact]
    public async Task A_local_reply_stops_the_request_and_passes_back_through_every_filter()
    {
        await using var sidecar = await Start(false, false, "tag one", "reply 429", "tag never");
        using var response = await sidecar.Client.GetAsync("/echo");

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal("reply from f1", await response.Content.ReadAsStringAsync());
        // As Envoy's encoder chain: every filter sees the local reply's headers, last first.
        Assert.Equal(["f2:never", "f1:429", "f0:one"], response.Headers.GetValues("x-response-by"));
        Assert.Equal(0, sidecar.Host.Clusters.Find("app")!.RequestsTotal.Value);
    }

    [Fact]
    public async Task A_failing_filter_fails_closed_unless_fail_open()
    {
        await using (var closed = await Start(false, false, "tag one", "throw"))
        {
            using var response = await closed.Client.GetAsync("/echo");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("filter f1 failed", await response.Content.ReadAsStringAsync());
            Assert.Equal(1, closed.Host.Filters.Find("f1")!.Current!.Failures.Value);
        }
        await using var open = await Start(false, true, "tag one", "throw");
        using var passed = await open.Client.GetAsync("/echo");
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
    }

    [Fact]
    public async Task A_filter_that_does_not_load_stops_start_up()
    {
        var e = await Assert.ThrowsAsync<FilterLoadException>(() => Start(false, false, "tag ok", "garbage"));
        Assert.Contains("filter f1: not a module", e.Message);
    }

    [Fact]
    public async Task Admin_lists_filters_with_hash_abi_and_counters()
    {
        await using var sidecar = await Start(false, false, "tag one");
        (await sidecar.Client.GetAsync("/echo")).Dispose();

        var list = JsonDocument.Parse(await sidecar.Admin.GetStringAsync("/filters")).RootElement;
        var filter = Assert.Single(list.EnumerateArray());
        Assert.Equal("f0", filter.GetProperty("name").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("tag one"u8)), filter.GetProperty("sha256").GetString());
        Assert.Equal("0.2.1", filter.GetProperty("abiVersion").GetString());
        Assert.Equal(2, filter.GetProperty("replicas").GetInt32());
        Assert.Equal(1, filter.GetProperty("counters").GetProperty("requests").GetInt64());

        var prometheus = await sidecar.Admin.GetStringAsync("/stats/prometheus");
        Assert.Contains("envoy_wasm_filter_rq_total{envoy_wasm_filter=\"f0\"} 1", prometheus);
    }

    [Fact]
    public async Task Upload_swaps_in_new_code_and_a_bad_upload_keeps_the_old()
    {
        await using var sidecar = await Start(false, false, "tag one");

        using var bad = await sidecar.Admin.PostAsync("/filters/f0", new ByteArrayContent("garbage"u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("running version is unchanged", await bad.Content.ReadAsStringAsync());
        Assert.Equal("f0:one", (await EchoedRequest.ReadAsync(await sidecar.Client.GetAsync("/echo"))).Headers["x-seen-by"]);

        using var good = await sidecar.Admin.PostAsync("/filters/f0", new ByteArrayContent("tag two"u8.ToArray()));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await good.Content.ReadAsStringAsync()).RootElement.GetProperty("generation").GetInt32());
        Assert.Equal("f0:two", (await EchoedRequest.ReadAsync(await sidecar.Client.GetAsync("/echo"))).Headers["x-seen-by"]);
    }

    [Fact]
    public async Task Load_from_a_path_and_multipart_upload_work_too()
    {
        await using var sidecar = await Start(false, false, "tag one");
        File.WriteAllText(Path.Combine(_dir, "other.wasm"), "tag from-path");
        using var byPath = await sidecar.Admin.PostAsJsonAsync("/filters/f0", new { path = "other.wasm" });
        Assert.Equal(HttpStatusCode.OK, byPath.StatusCode);
        Assert.Equal("f0:from-path", (await EchoedRequest.ReadAsync(await sidecar.Client.GetAsync("/echo"))).Headers["x-seen-by"]);

        using var missing = await sidecar.Admin.PostAsJsonAsync("/filters/f0", new { path = "missing.wasm" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);

        using var form = new MultipartFormDataContent { { new ByteArrayContent("tag from-form"u8.ToArray()), "file", "f.wasm" } };
        using var byForm = await sidecar.Admin.PostAsync("/filters/f0", form);
        Assert.Equal(HttpStatusCode.OK, byForm.StatusCode);
        Assert.Equal("f0:from-form", (await EchoedRequest.ReadAsync(await sidecar.Client.GetAsync("/echo"))).Headers["x-seen-by"]);
    }

    [Fact]
    public async Task Requests_in_flight_finish_on_the_version_they_started_with()
    {
        await using var sidecar = await Start(false, false, "gate old");
        var inFlight = sidecar.Client.GetAsync("/echo");
        var old = _loader.Loaded.Single(f => f.Argument == "old");
        // Wait until the request holds its lease on the old version.
        while (sidecar.Host.Filters.Find("f0")!.Current!.ActiveStreams == 0) await Task.Delay(10);

        using var swap = await sidecar.Admin.PostAsync("/filters/f0", new ByteArrayContent("tag new"u8.ToArray()));
        Assert.Equal(HttpStatusCode.OK, swap.StatusCode);
        Assert.False(old.Disposed);
        Assert.Equal("f0:new", (await EchoedRequest.ReadAsync(await sidecar.Client.GetAsync("/echo"))).Headers["x-seen-by"]);

        _loader.Gate.SetResult();
        using var finished = await inFlight;
        Assert.Equal("f0:old", (await EchoedRequest.ReadAsync(finished)).Headers["x-seen-by"]);
        Assert.True(old.Disposed);
    }

    [Fact]
    public async Task Delete_takes_a_filter_out_of_the_chain()
    {
        await using var sidecar = await Start(false, false, "reply 403");
        Assert.Equal(HttpStatusCode.Forbidden, (await sidecar.Client.GetAsync("/echo")).StatusCode);

        using var deleted = await sidecar.Admin.DeleteAsync("/filters/f0");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.False(JsonDocument.Parse(await deleted.Content.ReadAsStringAsync()).RootElement.GetProperty("loaded").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await sidecar.Client.GetAsync("/echo")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await sidecar.Admin.DeleteAsync("/filters/f0")).StatusCode);
    }

    [Fact]
    public async Task A_changed_file_hot_reloads_and_a_broken_one_is_ignored()
    {
        await using var sidecar = await Start(true, false, "tag one");
        var slot = sidecar.Host.Filters.Find("f0")!;

        File.WriteAllText(Path.Combine(_dir, "f0.wasm"), "garbage");
        File.WriteAllText(Path.Combine(_dir, "f0.wasm"), "garbage!");
        await Task.Delay(FilterFileWatcher.Debounce * 4);
        Assert.Equal(1, slot.Current!.Generation);

        File.WriteAllText(Path.Combine(_dir, "f0.wasm"), "tag reloaded");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (slot.Current!.Generation == 1 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal("f0:reloaded", (await EchoedRequest.ReadAsync(await sidecar.Client.GetAsync("/echo"))).Headers["x-seen-by"]);
    }
}
