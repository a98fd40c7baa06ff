using System.Text;
using ImageHub.ProxyWasm;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Filters.ProxyWasm;
using ImageHub.Sidecar.Stats;
using ImageHub.Sidecar.Tests.Support;
using ImageHub.Sidecar.Upstream;

namespace ImageHub.Sidecar.Tests;

/// <summary>proxy_http_call's way out: the named cluster, through the sidecar's forwarder.</summary>
public class CalloutDispatcherTests
{
    private static ClusterManager Clusters(int port) => new(
        [new ClusterConfig("quota", ClusterDiscoveryType.Static, TimeSpan.FromSeconds(1), [new HostAndPort("127.0.0.1", port)])],
        new StatsStore());

    private static HttpCalloutRequest Request(string cluster, string body) => new(
        cluster,
        HeaderMap.Of((":method", "POST"), (":path", "/v1/quota/consume"), (":authority", "quota"), ("content-type", "application/json")),
        Encoding.UTF8.GetBytes(body), new HeaderMap(), TimeSpan.FromSeconds(1));

    [Fact]
    public async Task A_callout_reaches_the_named_cluster_with_method_path_and_body()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var clusters = Clusters(upstream.Port);
        var dispatcher = new ClusterCalloutDispatcher(clusters);

        Assert.True(dispatcher.HasCluster("quota"));
        Assert.False(dispatcher.HasCluster("nope"));
        var response = await dispatcher.SendAsync(Request("quota", """{"tenant":"acme"}"""), CancellationToken.None);

        Assert.Equal("200", response.Headers.Get(":status"));
        var echo = JsonSerializerEcho(response.Body);
        Assert.Equal("POST", echo.Method);
        Assert.Equal("/v1/quota/consume", echo.Path);
        Assert.Equal("quota", echo.Headers["host"]);
        Assert.Equal("""{"tenant":"acme"}""", echo.Body);
    }

    [Fact]
    public async Task An_unreachable_cluster_is_a_503_response_not_an_error()
    {
        using var clusters = Clusters(TestBootstrap.UnusedPort());
        var response = await new ClusterCalloutDispatcher(clusters).SendAsync(Request("quota", "{}"), CancellationToken.None);
        Assert.Equal("503", response.Headers.Get(":status"));
        Assert.Contains("connection failure", Encoding.UTF8.GetString(response.Body));
    }

    private static EchoedRequest JsonSerializerEcho(byte[] body) =>
        System.Text.Json.JsonSerializer.Deserialize<EchoedRequest>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
}
