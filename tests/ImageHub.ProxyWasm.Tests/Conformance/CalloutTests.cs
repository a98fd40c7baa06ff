using System.Text;
using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>proxy_http_call, pausing the stream, and proxy_on_http_call_response.</summary>
public class CalloutTests
{
    private static FilterHarness Load() =>
        ConformanceFilters.Load("callout", options: new HarnessOptions { Clusters = ["backend"] });

    [Fact]
    public void The_request_waits_for_the_callout_and_continues_with_what_it_answered()
    {
        using var filter = Load();
        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders("GET", "/images/1");
        Assert.True(step.IsPaused);

        var call = Assert.Single(filter.PendingCallouts);
        Assert.Equal("backend", call.Cluster);
        Assert.Equal("POST", call.Request.Method);
        Assert.Equal("/check?path=/images/1", call.Request.Path);
        Assert.Equal("backend", call.Request.Authority);
        Assert.Equal("alice", call.Request.Headers["x-user"]);
        Assert.Equal("check /images/1", call.BodyText);
        Assert.Equal(TimeSpan.FromSeconds(1), call.Request.Timeout);

        call.Respond(200, "allowed", ("x-echo", "hello"));

        Assert.False(step.IsPaused);
        Assert.Equal(FilterAction.Continue, step.Action);
        Assert.Equal("allowed", exchange.RequestHeaders["x-callout-body"]);
        Assert.Equal("hello", exchange.RequestHeaders["x-callout-echo"]);
    }

    [Fact]
    public void A_refusing_callout_turns_into_a_local_reply()
    {
        using var filter = Load();
        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders("GET", "/secret");
        filter.PendingCallouts.Single().Respond(401, "who are you");
        Assert.Equal(FilterAction.LocalReply, step.Action);
        Assert.Equal(401, exchange.LocalReply!.StatusCode);
        Assert.Equal("who are you", Encoding.UTF8.GetString(exchange.LocalReply.Body));
    }

    [Fact]
    public void A_reset_callout_arrives_without_headers_and_with_status_broken_connection()
    {
        using var filter = Load();
        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders("GET", "/x");
        filter.PendingCallouts.Single().Reset();
        Assert.Equal(503, step.LocalReply!.StatusCode);
        Assert.Contains("callout failed status=11 message=reset", filter.LogMessages);
    }

    [Fact]
    public void A_callout_past_its_timeout_is_answered_504_by_the_host()
    {
        using var filter = Load();
        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders("GET", "/slow");
        filter.AdvanceTime(TimeSpan.FromMilliseconds(999));
        Assert.True(step.IsPaused);
        filter.AdvanceTime(TimeSpan.FromMilliseconds(1));
        Assert.Equal(504, step.LocalReply!.StatusCode);
        Assert.Equal("upstream request timeout", Encoding.UTF8.GetString(step.LocalReply.Body));
        Assert.Empty(filter.PendingCallouts);
    }

    [Fact]
    public void A_callout_to_an_unknown_cluster_is_refused_with_bad_argument()
    {
        using var filter = Load();
        var exchange = filter.Request("GET", "/elsewhere");
        Assert.Equal("2", exchange.RequestHeaders["x-callout-result"]);
        Assert.Empty(filter.AllCallouts);
    }

    [Fact]
    public void A_callout_without_a_path_is_refused_with_bad_argument()
    {
        using var filter = Load();
        var exchange = filter.Request("GET", "/no-path");
        Assert.Equal("2", exchange.RequestHeaders["x-callout-result"]);
        Assert.Empty(filter.AllCallouts);
    }

    [Fact]
    public void Paused_streams_do_not_block_each_other()
    {
        using var filter = Load();
        var first = filter.NewExchange();
        var second = filter.NewExchange();
        var firstStep = first.SendRequestHeaders("GET", "/one");
        var secondStep = second.SendRequestHeaders("GET", "/two");
        Assert.Equal(2, filter.PendingCallouts.Count);

        filter.PendingCallouts.Single(c => c.Request.Path.EndsWith("/two")).Respond(200, "second");
        Assert.True(firstStep.IsPaused);
        Assert.Equal("second", second.RequestHeaders["x-callout-body"]);

        filter.PendingCallouts.Single().Respond(200, "first");
        Assert.Equal("first", first.RequestHeaders["x-callout-body"]);
    }
}
