using System.Net;
using System.Text.Json.Nodes;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Hosting;
using ImageHub.Sidecar.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageHub.Sidecar.Tests;

/// <summary>
/// The committed bootstrap with the project's two filters (built from source), on free ports,
/// in front of a test upstream: the multi-tenancy filter's contract seen from outside.
/// </summary>
[Collection("real wasm")]
public class ProjectFiltersTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;
    private SidecarHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        RepoPaths.BuiltWasm("filters/multi-tenancy/build/multi-tenancy.wasm");
        RepoPaths.BuiltWasm("filters/rate-limit/build/rate-limit.wasm");
        _upstream = await TestUpstream.StartAsync();
        var path = Path.Combine(RepoPaths.Root(), "infra", "envoy", "imagehub-sidecar.yaml");
        var document = ConfigDocument.Load(path);
        SetPort(document["admin"]!["address"]!, 0);
        SetPort(document["static_resources"]!["listeners"]![0]!["address"]!, 0);
        foreach (var cluster in document["static_resources"]!["clusters"]!.AsArray())
            SetPort(cluster!["load_assignment"]!["endpoints"]![0]!["lb_endpoints"]![0]!["endpoint"]!["address"]!,
                cluster["name"]!.GetValue<string>() == "imagehub" ? _upstream.Port : TestBootstrap.UnusedPort());
        document["static_resources"]!["listeners"]![0]!["address"]!["socket_address"]!["address"] = "127.0.0.1";

        // Read with the committed file as the source, so relative filter paths resolve as in production.
        var bootstrap = BootstrapReader.Read(document, path);
        var options = new SidecarOptions { ConfigPath = path, Concurrency = 2, HotReload = false };
        _host = SidecarHost.Create(bootstrap, options, NullLoggerFactory.Instance, WasmHost.LoaderFactory(NullLoggerFactory.Instance, LogLevel.Information));
        await _host.StartAsync();
        _client = new HttpClient { BaseAddress = _host.ListenerUrls.Values.First() };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static void SetPort(JsonNode address, int port) => address["socket_address"]!["port_value"] = port;

    private async Task<HttpResponseMessage> Get(string host, string path, params (string, string)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task A_known_tenant_is_marked_both_ways_and_forged_identity_is_dropped()
    {
        using var response = await Get("acme.localhost:8080", "/gallery", ("x-imagehub-tenant", "globex"), ("x-imagehub-user", "mallory"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("acme", response.Headers.GetValues("x-imagehub-tenant").Single());
        var echo = await EchoedRequest.ReadAsync(response);
        Assert.Equal("acme", echo.Headers["x-imagehub-tenant"]);
        Assert.False(echo.Headers.ContainsKey("x-imagehub-user"));
    }

    [Fact]
    public async Task An_unknown_tenant_is_404_from_the_filter()
    {
        using var response = await Get("initech.localhost:8080", "/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("unknown_tenant", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, _host.Clusters.Find("imagehub")!.RequestsTotal.Value);
    }

    [Fact]
    public async Task A_counted_path_without_a_token_is_401_from_the_rate_limit_filter()
    {
        using var response = await Get("acme.localhost:8080", "/api/images/42/pull");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.Headers.WwwAuthenticate.Count > 0);
    }
}
