namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>proxy_send_local_response and how the reply travels, as in Envoy.</summary>
public class LocalReplyTests
{
    [Fact]
    public void A_local_reply_stops_the_request_and_carries_status_details_body_and_headers()
    {
        using var filter = ConformanceFilters.Load("local-reply");
        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders("GET", "/deny/me");

        Assert.Equal(FilterAction.LocalReply, step.Action);
        var reply = exchange.LocalReply!;
        Assert.Equal(403, reply.StatusCode);
        Assert.Equal("denied_by_conformance", reply.Details);
        Assert.Equal("nope", System.Text.Encoding.UTF8.GetString(reply.Body));
        Assert.Equal("conformance", reply.Headers["x-reason"]);
        Assert.Null(reply.GrpcStatus);
    }

    [Fact]
    public void The_local_reply_goes_back_through_the_filters_response_callback()
    {
        using var filter = ConformanceFilters.Load("local-reply");
        var exchange = filter.Request("GET", "/deny");
        var sent = exchange.LocalReplyHeaders!;
        Assert.Equal("403", sent[":status"]);
        Assert.Equal("403", sent["x-response-saw"]);
        Assert.Equal("conformance", sent["x-reason"]);
        Assert.Equal("4", sent["content-length"]);
    }

    [Fact]
    public void Other_requests_continue_and_their_responses_pass_through_the_filter()
    {
        using var filter = ConformanceFilters.Load("local-reply");
        var exchange = filter.Request("GET", "/fine");
        Assert.Null(exchange.LocalReply);
        var response = exchange.SendResponseHeaders(200);
        Assert.Equal(FilterAction.Continue, response.Action);
        Assert.Equal("200", exchange.ResponseHeaders["x-response-saw"]);
    }

    [Fact]
    public void A_filter_can_replace_an_upstream_response_with_a_local_reply()
    {
        using var filter = ConformanceFilters.Load("local-reply");
        var exchange = filter.Request("GET", "/fine");
        var response = exchange.SendResponseHeaders(500);
        Assert.Equal(FilterAction.LocalReply, response.Action);
        Assert.Equal(502, response.LocalReply!.StatusCode);
        Assert.Equal(1, filter.Info.LocalReplies);
    }

    [Fact]
    public void Closing_the_stream_resets_it()
    {
        using var filter = ConformanceFilters.Load("local-reply");
        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders("GET", "/close");
        Assert.Equal(FilterAction.Reset, step.Action);
        Assert.Equal("0", exchange.RequestHeaders["x-close-status"]);
        Assert.Null(exchange.LocalReply);
    }
}
