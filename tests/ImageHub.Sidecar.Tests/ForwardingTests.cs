using System.Net;
using System.Text;
using ImageHub.Sidecar.Tests.Support;

namespace ImageHub.Sidecar.Tests;

public class ForwardingTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;
    private RunningSidecar _sidecar = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        var routes = """
            - match: { prefix: "/direct" }
              direct_response: { status: 418, body: { inline_string: "short and stout" } }
            - match: { prefix: "/slow" }
              route: { cluster: app, timeout: 0.3s }
            - match: { prefix: "/old/" }
              route: { cluster: app, prefix_rewrite: "/new/" }
            - match: { prefix: "/down" }
              route: { cluster: down }
            - match: { prefix: "/" }
              route: { cluster: app, timeout: 5s }
            """;
        var down = $$"""
            - name: down
              type: STATIC
              connect_timeout: 1s
              load_assignment:
                cluster_name: down
                endpoints:
                - lb_endpoints:
                  - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: {{TestBootstrap.UnusedPort()}} } } }
            """;
        _sidecar = await RunningSidecar.StartAsync(TestBootstrap.Yaml(_upstream.Port, routes, extraClusters: down));
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Forwards_method_path_query_host_and_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/things?x=1&y=%2F")
        {
            Content = new StringContent("hello upstream", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Host = "acme.localhost:8080";
        using var response = await _sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("test", response.Headers.GetValues("x-upstream").Single());
        var echo = await EchoedRequest.ReadAsync(response);
        Assert.Equal("POST", echo.Method);
        Assert.Equal("/api/things?x=1&y=%2F", echo.Path);
        Assert.Equal("acme.localhost:8080", echo.Headers["host"]);
        Assert.Equal("hello upstream", echo.Body);
        Assert.Equal("text/plain; charset=utf-8", echo.Headers["content-type"]);
    }

    [Fact]
    public async Task Adds_forwarded_headers_and_a_request_id()
    {
        using var response = await _sidecar.Client.GetAsync("/echo");
        var echo = await EchoedRequest.ReadAsync(response);

        Assert.Equal("127.0.0.1", echo.Headers["x-forwarded-for"]);
        Assert.Equal("http", echo.Headers["x-forwarded-proto"]);
        Assert.True(Guid.TryParse(echo.Headers["x-request-id"], out _), echo.Headers["x-request-id"]);
    }

    [Fact]
    public async Task Keeps_the_clients_request_id_and_appends_to_its_forwarded_for()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo");
        request.Headers.Add("x-request-id", "abc-123");
        request.Headers.Add("x-forwarded-for", "203.0.113.7");
        using var response = await _sidecar.Client.SendAsync(request);
        var echo = await EchoedRequest.ReadAsync(response);

        Assert.Equal("abc-123", echo.Headers["x-request-id"]);
        Assert.Equal("203.0.113.7, 127.0.0.1", echo.Headers["x-forwarded-for"]);
    }

    [Fact]
    public async Task Removes_hop_by_hop_headers_in_both_directions()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo");
        request.Headers.Connection.Add("x-private");
        request.Headers.Add("x-private", "drop-me");
        request.Headers.Add("keep-alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("proxy-authorization", "Basic eA==");
        request.Headers.Add("x-kept", "yes");
        using (var echoed = await _sidecar.Client.SendAsync(request))
        {
            var headers = (await EchoedRequest.ReadAsync(echoed)).Headers;
            Assert.Equal("yes", headers["x-kept"]);
            Assert.False(headers.ContainsKey("x-private"));
            Assert.False(headers.ContainsKey("keep-alive"));
            Assert.False(headers.ContainsKey("proxy-authorization"));
            Assert.False(headers.ContainsKey("connection"));
        }

        using var response = await _sidecar.Client.GetAsync("/hop");
        Assert.False(response.Headers.Contains("x-upstream-private"));
        Assert.False(response.Headers.Contains("keep-alive"));
        Assert.Equal("hop", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Streams_the_response_body_as_it_arrives()
    {
        using var response = await _sidecar.Client.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var reader = new StreamReader(stream);
        // The upstream holds its last chunk back until we have read the first one through the proxy.
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("first-chunk", first);
        _upstream.ReleaseStream.SetResult();
        Assert.Equal("last-chunk", await reader.ReadLineAsync());
    }

    [Fact]
    public async Task Upstream_timeout_is_504_with_a_reason()
    {
        using var response = await _sidecar.Client.GetAsync("/slow?ms=3000");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("upstream request timeout", await response.Content.ReadAsStringAsync());

        using var fast = await _sidecar.Client.GetAsync("/slow?ms=10");
        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        Assert.Equal(1, _sidecar.Host.Clusters.Find("app")!.Timeouts.Value);
    }

    [Fact]
    public async Task Connection_refused_is_503_with_a_reason()
    {
        using var response = await _sidecar.Client.GetAsync("/down");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("connection failure", body);
        Assert.Contains("cluster down", body);
        Assert.Equal(1, _sidecar.Host.Clusters.Find("down")!.ConnectFailures.Value);
    }

    [Fact]
    public async Task Unrouted_requests_get_404_and_direct_responses_answer_locally()
    {
        using var direct = await _sidecar.Client.GetAsync("/direct");
        Assert.Equal((HttpStatusCode)418, direct.StatusCode);
        Assert.Equal("short and stout", await direct.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Prefix_rewrite_changes_the_upstream_path()
    {
        using var response = await _sidecar.Client.GetAsync("/old/thing?x=1");
        var echo = await EchoedRequest.ReadAsync(response);
        Assert.Equal("/new/thing?x=1", echo.Path);
    }

    [Fact]
    public async Task Connections_to_the_upstream_are_reused()
    {
        for (var i = 0; i < 5; i++)
        {
            using var r = await _sidecar.Client.GetAsync("/echo");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        // The upstream echoes "connection" only if the proxy sent one; keep-alive is HTTP/1.1's default.
        using var last = await _sidecar.Client.GetAsync("/echo");
        var echo = await EchoedRequest.ReadAsync(last);
        Assert.False(echo.Headers.ContainsKey("connection"));
    }
}

public class NoRouteTests
{
    [Fact]
    public async Task A_host_no_virtual_host_matches_gets_404()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var yaml = TestBootstrap.Yaml(upstream.Port).Replace("domains: [\"*\"]", "domains: [\"acme.localhost\"]");
        await using var sidecar = await RunningSidecar.StartAsync(yaml);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "globex.localhost";
        using var response = await sidecar.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, sidecar.Host.Listeners[0].NoRoute.Value);

        using var known = new HttpRequestMessage(HttpMethod.Get, "/");
        known.Headers.Host = "acme.localhost";
        using var ok = await sidecar.Client.SendAsync(known);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
