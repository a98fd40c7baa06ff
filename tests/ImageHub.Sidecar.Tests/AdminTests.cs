using System.Net;
using System.Text.Json;
using ImageHub.Sidecar.Tests.Support;

namespace ImageHub.Sidecar.Tests;

public class AdminTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;
    private RunningSidecar _sidecar = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _sidecar = await RunningSidecar.StartAsync(TestBootstrap.Yaml(_upstream.Port));
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Ready_says_live()
    {
        using var response = await _sidecar.Admin.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("LIVE", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task Stats_count_requests_per_listener_and_cluster()
    {
        for (var i = 0; i < 3; i++) (await _sidecar.Client.GetAsync("/x")).Dispose();

        var text = await _sidecar.Admin.GetStringAsync("/stats");
        Assert.Contains("http.test_ingress.downstream_rq_total: 3\n", text);
        Assert.Contains("http.test_ingress.downstream_rq_2xx: 3\n", text);
        Assert.Contains("cluster.app.upstream_rq_total: 3\n", text);

        var json = JsonDocument.Parse(await _sidecar.Admin.GetStringAsync("/stats?format=json&filter=^cluster%5C.app%5C.upstream_rq_2xx$"));
        var stat = Assert.Single(json.RootElement.GetProperty("stats").EnumerateArray());
        Assert.Equal(3, stat.GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task A_bad_stats_filter_is_a_400()
    {
        using var response = await _sidecar.Admin.GetAsync("/stats?filter=(");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Prometheus_output_uses_envoy_names_and_labels()
    {
        (await _sidecar.Client.GetAsync("/x")).Dispose();
        var text = await _sidecar.Admin.GetStringAsync("/stats/prometheus");
        Assert.Contains("# TYPE envoy_cluster_upstream_rq_total counter\n", text);
        Assert.Contains("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"app\"} 1\n", text);
        Assert.Contains("envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"test_ingress\"} 1\n", text);
    }

    [Fact]
    public async Task Config_dump_returns_the_bootstrap()
    {
        var json = JsonDocument.Parse(await _sidecar.Admin.GetStringAsync("/config_dump"));
        var config = json.RootElement.GetProperty("configs")[0];
        Assert.Equal("type.googleapis.com/envoy.admin.v3.BootstrapConfigDump", config.GetProperty("@type").GetString());
        Assert.Equal("app", config.GetProperty("bootstrap").GetProperty("static_resources").GetProperty("clusters")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Clusters_and_listeners_show_their_addresses()
    {
        var clusters = await _sidecar.Admin.GetStringAsync("/clusters");
        Assert.Contains($"app::127.0.0.1:{_upstream.Port}::health_flags::healthy", clusters);

        var listeners = JsonDocument.Parse(await _sidecar.Admin.GetStringAsync("/listeners?format=json"));
        var listener = Assert.Single(listeners.RootElement.GetProperty("listener_statuses").EnumerateArray());
        Assert.Equal("test_ingress", listener.GetProperty("name").GetString());
        Assert.Equal(_sidecar.Host.ListenerUrls["test_ingress"].Port,
            listener.GetProperty("local_address").GetProperty("socket_address").GetProperty("port_value").GetInt32());
    }

    [Fact]
    public async Task Filters_list_is_empty_without_wasm_filters_and_unknown_names_are_404_or_added()
    {
        Assert.Equal("[]", await _sidecar.Admin.GetStringAsync("/filters"));
        using var response = await _sidecar.Admin.GetAsync("/filters/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no wasm filter named", await response.Content.ReadAsStringAsync());
        // POST to an unknown name adds a filter; this sidecar has no Proxy-Wasm host, so nothing is added.
        using var post = await _sidecar.Admin.PostAsync("/filters/nope", new ByteArrayContent([0, 97, 115, 109]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, post.StatusCode);
        Assert.Contains("no Proxy-Wasm host", await post.Content.ReadAsStringAsync());
        Assert.Equal("[]", await _sidecar.Admin.GetStringAsync("/filters"));
    }
}
