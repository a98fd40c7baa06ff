using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ImageHub.Sidecar.Tests.Support;

namespace ImageHub.Sidecar.Tests;

/// <summary>
/// Adding a filter to the running chain through the admin API, with real modules built from our
/// sources: the bootstrap runs multi-tenancy; the tests add the conformance module, whose
/// "local-reply" root answers <c>/deny</c> itself with 403 and whose "headers" root marks
/// responses with <c>x-rewritten: 1</c>. Where the added filter sits shows in who answers a
/// request for an unknown tenant: multi-tenancy (404) runs first unless the new filter does (403).
/// </summary>
[Collection("real wasm")]
public class AddFilterTests : IAsyncLifetime
{
    private AddedFilterSidecar _sidecar = null!;

    public async Task InitializeAsync() => _sidecar = await AddedFilterSidecar.StartAsync();

    public async Task DisposeAsync() => await _sidecar.DisposeAsync();

    private async Task<JsonElement> Json(string path) => JsonDocument.Parse(await _sidecar.Admin.GetStringAsync(path)).RootElement;

    [Fact]
    public async Task An_added_filter_runs_before_the_router_and_shows_in_filters_config_dump_and_prometheus()
    {
        using (var before = await _sidecar.GetAsync("/deny"))
            await AddedFilterSidecar.ExpectStatus(before, HttpStatusCode.OK);

        using var added = await _sidecar.PostModuleAsync("deny-gate", "root_id=local-reply");
        await AddedFilterSidecar.ExpectStatus(added, HttpStatusCode.Created);
        var description = JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement;
        Assert.True(description.GetProperty("addedAtRuntime").GetBoolean());
        Assert.Equal("local-reply", description.GetProperty("rootId").GetString());
        var place = Assert.Single(description.GetProperty("chains").EnumerateArray());
        Assert.Equal(("test_ingress", 1), (place.GetProperty("listener").GetString(), place.GetProperty("position").GetInt32()));

        // No restart: the next request runs the new chain, multi-tenancy first.
        using (var denied = await _sidecar.GetAsync("/deny"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Equal("nope", await denied.Content.ReadAsStringAsync());
            Assert.Equal("acme", denied.Headers.GetValues("x-imagehub-tenant").Single());
        }
        using (var unknown = await _sidecar.GetAsync("/deny", host: "nobody.localhost"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var passed = await _sidecar.GetAsync("/echo"))
            Assert.Equal("200", passed.Headers.GetValues("x-response-saw").Single());

        var filters = (await Json("/filters")).EnumerateArray().Select(f => (f.GetProperty("name").GetString(), f.GetProperty("addedAtRuntime").GetBoolean()));
        Assert.Equal([("multi-tenancy", false), ("deny-gate", true)], filters);

        var configs = (await Json("/config_dump")).GetProperty("configs");
        Assert.Equal(2, configs.GetArrayLength());
        var listener = Assert.Single(configs[1].GetProperty("dynamic_listeners").EnumerateArray()).GetProperty("active_state").GetProperty("listener");
        var chain = listener.GetProperty("filter_chains")[0].GetProperty("filters")[0].GetProperty("typed_config").GetProperty("http_filters");
        Assert.Equal(["envoy.filters.http.wasm", "envoy.filters.http.wasm", "envoy.filters.http.router"], chain.EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.False(chain[0].TryGetProperty("added_at_runtime", out _));
        Assert.True(chain[1].GetProperty("added_at_runtime").GetBoolean());
        Assert.Equal("deny-gate", chain[1].GetProperty("typed_config").GetProperty("config").GetProperty("name").GetString());
        Assert.Equal("local-reply", chain[1].GetProperty("typed_config").GetProperty("config").GetProperty("root_id").GetString());

        var prometheus = await _sidecar.Admin.GetStringAsync("/stats/prometheus");
        Assert.Contains("envoy_wasm_filter_rq_total{envoy_wasm_filter=\"deny-gate\"} 3", prometheus);
        Assert.Contains("envoy_wasm_filter_local_reply{envoy_wasm_filter=\"deny-gate\"} 1", prometheus);
    }

    [Theory]
    [InlineData("position=first", HttpStatusCode.Forbidden)]
    [InlineData("position=before%3Dmulti-tenancy", HttpStatusCode.Forbidden)]
    [InlineData("position=after%3Dmulti-tenancy", HttpStatusCode.NotFound)]
    [InlineData("position=last&listener=test_ingress", HttpStatusCode.NotFound)]
    public async Task The_position_decides_who_answers_an_unknown_tenant(string placement, HttpStatusCode expected)
    {
        using var added = await _sidecar.PostModuleAsync("deny-gate", "root_id=local-reply&" + placement);
        await AddedFilterSidecar.ExpectStatus(added, HttpStatusCode.Created);
        using var response = await _sidecar.GetAsync("/deny", host: "nobody.localhost");
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task The_fields_also_come_as_a_multipart_form_or_json_with_a_path()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("local-reply"), "root_id" },
            { new StringContent("conformance"), "configuration" },
            { new StringContent("first"), "position" },
            { new ByteArrayContent(_sidecar.Conformance), "wasm", "conformance.wasm" },
        };
        using (var multipart = await _sidecar.Admin.PostAsync("/filters/deny-gate", form))
            await AddedFilterSidecar.ExpectStatus(multipart, HttpStatusCode.Created);
        using (var json = await _sidecar.Admin.PostAsJsonAsync("/filters/marker", new { path = "conformance.wasm", root_id = "headers", fail_open = true, configuration = "conformance" }))
        {
            await AddedFilterSidecar.ExpectStatus(json, HttpStatusCode.Created);
            var marker = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement;
            Assert.True(marker.GetProperty("failOpen").GetBoolean());
            Assert.EndsWith("conformance.wasm", marker.GetProperty("source").GetString());
        }

        using var response = await _sidecar.GetAsync("/deny", host: "nobody.localhost");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode); // deny-gate is first
        Assert.Equal("1", response.Headers.GetValues("x-rewritten").Single()); // marker saw the reply on its way back
    }

    [Fact]
    public async Task Posting_to_an_added_filter_replaces_its_code_and_configuration_in_place()
    {
        using (var added = await _sidecar.PostModuleAsync("deny-gate", "root_id=local-reply&position=first"))
            await AddedFilterSidecar.ExpectStatus(added, HttpStatusCode.Created);
        using (var moved = await _sidecar.PostModuleAsync("deny-gate", "position=last"))
        {
            await AddedFilterSidecar.ExpectStatus(moved, HttpStatusCode.Conflict);
            Assert.Contains("DELETE /filters/deny-gate first", await moved.Content.ReadAsStringAsync());
        }

        using (var replaced = await _sidecar.PostModuleAsync("deny-gate", "root_id=headers"))
        {
            await AddedFilterSidecar.ExpectStatus(replaced, HttpStatusCode.OK);
            var description = JsonDocument.Parse(await replaced.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("headers", description.GetProperty("rootId").GetString());
            Assert.Equal(0, description.GetProperty("chains")[0].GetProperty("position").GetInt32());
        }
        using var response = await _sidecar.GetAsync("/deny", host: "nobody.localhost");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // no longer denies; multi-tenancy answers
        Assert.Equal("1", response.Headers.GetValues("x-rewritten").Single());
    }

    [Fact]
    public async Task Deleting_an_added_filter_takes_it_out_of_the_chain_and_the_listings()
    {
        using (var added = await _sidecar.PostModuleAsync("deny-gate", "root_id=local-reply"))
            await AddedFilterSidecar.ExpectStatus(added, HttpStatusCode.Created);
        using (var deleted = await _sidecar.Admin.DeleteAsync("/filters/deny-gate"))
            await AddedFilterSidecar.ExpectStatus(deleted, HttpStatusCode.OK);

        using (var response = await _sidecar.GetAsync("/deny"))
            await AddedFilterSidecar.ExpectStatus(response, HttpStatusCode.OK);
        using (var gone = await _sidecar.Admin.GetAsync("/filters/deny-gate"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using (var again = await _sidecar.Admin.DeleteAsync("/filters/deny-gate"))
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.DoesNotContain("envoy_wasm_filter=\"deny-gate\"", await _sidecar.Admin.GetStringAsync("/stats/prometheus"));
        Assert.Single((await Json("/config_dump")).GetProperty("configs").EnumerateArray());

        // The name is free again.
        using var readded = await _sidecar.PostModuleAsync("deny-gate", "root_id=headers");
        await AddedFilterSidecar.ExpectStatus(readded, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Deleting_a_bootstrap_filter_unloads_it_but_keeps_its_place()
    {
        using (var deleted = await _sidecar.Admin.DeleteAsync("/filters/multi-tenancy"))
            await AddedFilterSidecar.ExpectStatus(deleted, HttpStatusCode.OK);
        using (var response = await _sidecar.GetAsync("/echo", host: "nobody.localhost"))
            await AddedFilterSidecar.ExpectStatus(response, HttpStatusCode.OK); // no tenant check any more
        using (var again = await _sidecar.Admin.DeleteAsync("/filters/multi-tenancy"))
            await AddedFilterSidecar.ExpectStatus(again, HttpStatusCode.Conflict);
        var listed = await Json("/filters/multi-tenancy");
        Assert.False(listed.GetProperty("loaded").GetBoolean());
        Assert.False(listed.GetProperty("addedAtRuntime").GetBoolean());
    }
}
