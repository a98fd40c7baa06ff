using System.Text;
using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>proxy_get_property / proxy_set_property and body buffers.</summary>
public class PropertyAndBodyTests
{
    [Fact]
    public void Properties_are_encoded_as_envoy_encodes_them()
    {
        using var filter = ConformanceFilters.Load("properties", options: new HarnessOptions { VmId = "vm-1" });
        var exchange = filter.NewExchange(new StreamInfo
        {
            SourceAddress = "10.1.2.3", SourcePort = 4567, ConnectionId = 99,
            StartTime = DateTimeOffset.UnixEpoch.AddSeconds(2),
        });
        exchange.SendRequestHeaders("POST", "/api/images?x=1", "acme.localhost", ("x-test", "hello"));
        var request = exchange.RequestHeaders;

        Assert.Equal("properties", request["x-plugin-name"]);
        Assert.Equal("properties", request["x-plugin-root-id"]);
        Assert.Equal("vm-1", request["x-plugin-vm-id"]);
        Assert.Equal("/api/images?x=1", request["x-request-path"]);
        Assert.Equal("/api/images", request["x-request-url-path"]);
        Assert.Equal("POST", request["x-request-method"]);
        Assert.Equal("acme.localhost", request["x-request-host"]);
        Assert.Equal("hello", request["x-request-header"]);
        Assert.Equal("10.1.2.3:4567", request["x-source-address"]);
        Assert.Equal("8 bytes: 4567", request["x-source-port"]);
        Assert.Equal("8 bytes: 99", request["x-connection-id"]);
        Assert.Equal("8 bytes: 2000000000", request["x-request-time"]);
        Assert.Equal("status 1", request["x-unknown"]);
        Assert.Equal("0", request["x-set"]);
        Assert.Equal("acme", request["x-get-back"]);

        exchange.SendResponseHeaders(418);
        Assert.Equal("8 bytes: 418", exchange.ResponseHeaders["x-response-code"]);
        Assert.Equal("acme", exchange.ResponseHeaders["x-still-set"]);
    }

    [Fact]
    public void A_buffered_request_body_is_offered_whole_and_can_be_rewritten()
    {
        using var filter = ConformanceFilters.Load("body");
        var exchange = filter.NewExchange();
        exchange.SendRequestHeaders(HeaderMap.Of((":method", "POST"), (":path", "/"), (":authority", "x")), endOfStream: false);

        var first = exchange.SendRequestBody("hello ", endOfStream: false);
        Assert.Equal(FilterAction.Buffer, first.Action);
        var last = exchange.SendRequestBody("world", endOfStream: true);
        Assert.Equal(FilterAction.Continue, last.Action);
        Assert.Equal("HELLO WORLD", last.BodyText);
    }

    [Fact]
    public void A_response_body_can_be_appended_to_but_not_spliced_in_the_middle()
    {
        using var filter = ConformanceFilters.Load("body");
        var exchange = filter.Request("GET", "/");
        exchange.SendResponseHeaders(200, endOfStream: false);
        var body = exchange.SendResponseBody("image bytes", endOfStream: true);
        Assert.Equal("image bytes [filtered]", body.BodyText);
        Assert.Equal(0, filter.Info.Failures);
    }
}
