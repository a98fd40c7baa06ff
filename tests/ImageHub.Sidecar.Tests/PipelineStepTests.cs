using System.Net;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Proxy;
using ImageHub.Sidecar.Proxy.Steps;
using ImageHub.Sidecar.Stats;
using Microsoft.AspNetCore.Http;

namespace ImageHub.Sidecar.Tests;

/// <summary>Each pipeline step alone, on a DefaultHttpContext, without sockets.</summary>
public class PipelineStepTests
{
    private static ListenerRuntime Listener() => new(
        new ListenerConfig("l", new HostAndPort("127.0.0.1", 0), new HttpConnectionManagerConfig("l",
            new RouteConfiguration("r", [new VirtualHostConfig("v", ["*"], [
                new RouteConfig(null, new RouteMatchConfig("/", null, null, true), null, new DirectResponseConfig(200, "ok"))])]),
            [new RouterFilterConfig("envoy.filters.http.router")])),
        [], new StatsStore());

    private static ProxyContext Context(Action<HttpRequest>? setup = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("acme.localhost:8080");
        http.Request.Path = "/a";
        http.Request.QueryString = new QueryString("?b=1");
        http.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:10.1.2.3");
        setup?.Invoke(http.Request);
        return new ProxyContext(http, Listener());
    }

    private static async Task<ProxyContext> Run(IProxyStep step, ProxyContext context)
    {
        var reachedNext = false;
        await step.InvokeAsync(context, _ => { reachedNext = true; return ValueTask.CompletedTask; });
        Assert.True(reachedNext || context.Response is not null);
        return context;
    }

    [Fact]
    public async Task Downstream_request_gets_pseudo_headers_and_loses_hop_by_hop_ones()
    {
        var context = await Run(new DownstreamRequestStep(), Context(r =>
        {
            r.Headers.Connection = "close, x-private";
            r.Headers["x-private"] = "drop";
            r.Headers["te"] = "trailers";
            r.Headers["x-kept"] = "yes";
        }));
        var headers = context.RequestHeaders;
        Assert.Equal("acme.localhost:8080", headers.Get(":authority"));
        Assert.Equal("/a?b=1", headers.Get(":path"));
        Assert.Equal("GET", headers.Get(":method"));
        Assert.Equal("http", headers.Get(":scheme"));
        Assert.Equal("yes", headers.Get("x-kept"));
        Assert.False(headers.Contains("x-private"));
        Assert.False(headers.Contains("connection"));
        Assert.False(headers.Contains("te"));
        Assert.False(headers.Contains("host"));
    }

    [Fact]
    public async Task Request_id_is_added_once()
    {
        var context = Context();
        await Run(new RequestIdStep(), context);
        var id = context.RequestHeaders.Get("x-request-id");
        Assert.True(Guid.TryParse(id, out _));
        await Run(new RequestIdStep(), context);
        Assert.Equal(id, context.RequestHeaders.Get("x-request-id"));
    }

    [Fact]
    public async Task Forwarded_headers_use_the_ipv4_client_address()
    {
        var context = Context();
        context.RequestHeaders.Add("x-forwarded-proto", "https");
        await Run(new ForwardedHeadersStep(), context);
        Assert.Equal("10.1.2.3", context.RequestHeaders.Get("x-forwarded-for"));
        Assert.Equal("http", context.RequestHeaders.Get("x-forwarded-proto"));
    }

    [Fact]
    public async Task Route_step_answers_direct_responses_without_calling_next()
    {
        var context = Context();
        await Run(new DownstreamRequestStep(), context);
        var called = false;
        await new RouteStep(new Upstream.ClusterManager([], new StatsStore())).InvokeAsync(context, _ => { called = true; return ValueTask.CompletedTask; });
        Assert.False(called);
        Assert.Equal(200, context.Response!.Status);
        Assert.Equal("ok", System.Text.Encoding.UTF8.GetString(context.Response.LocalBody.Span));
    }

    [Fact]
    public void Hop_by_hop_removal_honours_the_connection_header()
    {
        var headers = new HttpHeaderMap();
        headers.Add("Connection", "Keep-Alive, X-Private");
        headers.Add("x-private", "1");
        headers.Add("keep-alive", "timeout=5");
        headers.Add("transfer-encoding", "chunked");
        headers.Add("x-end-to-end", "2");
        HopByHopHeaders.RemoveFrom(headers);
        Assert.Equal(["x-end-to-end"], headers.Pairs.Select(p => p.Key));
    }

    [Fact]
    public void Hop_by_hop_removal_without_a_connection_header_drops_the_fixed_list_only()
    {
        var headers = new HttpHeaderMap();
        headers.Add("Transfer-Encoding", "chunked");
        headers.Add("x-private", "1");
        headers.Add("te", "trailers");
        HopByHopHeaders.RemoveFrom(headers);
        Assert.Equal(["x-private"], headers.Pairs.Select(p => p.Key));
    }

    [Fact]
    public void Header_map_is_case_insensitive_ordered_and_multi_valued()
    {
        var headers = new HttpHeaderMap();
        headers.Add("A", "1");
        headers.Add("b", "2");
        headers.Add("a", "3");
        Assert.Equal("1,3", headers.Get("a"));
        headers.Set("A", "4");
        Assert.Equal([("a", "4"), ("b", "2")], headers.Pairs.Select(p => (p.Key, p.Value)));
        Assert.Equal(1, headers.Remove("B"));
    }
}
