namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>Header hostcalls: get, add, replace, remove, pairs, size, as Envoy answers them.</summary>
public class HeaderTests
{
    [Fact]
    public void The_filter_reads_pseudo_headers_and_changes_request_headers_in_place()
    {
        using var filter = ConformanceFilters.Load("headers");
        var exchange = filter.Request("GET", "/images/7", "acme.localhost",
            ("x-replace", "old"), ("x-replace", "older"), ("x-remove", "bye"), ("X-Case-Test", "found"));
        var request = exchange.RequestHeaders;

        Assert.Equal("/images/7 GET acme.localhost", request["x-path-seen"]);
        Assert.Equal(["new"], request.GetAll("x-replace"));
        Assert.False(request.Contains("x-remove"));
        Assert.Equal("kept", request["x-mixed-case"]);
        Assert.Contains(request, h => h.Key == "x-mixed-case");
        Assert.Equal("8/8", request["x-count"]);
        Assert.Equal("found", request["x-case-insensitive"]);
    }

    [Fact]
    public void A_missing_header_is_not_found_and_the_map_size_is_envoys_byte_size()
    {
        using var filter = ConformanceFilters.Load("headers");
        var exchange = filter.Request("GET", "/");
        Assert.Equal("1", exchange.RequestHeaders["x-missing-status"]);
        var expected = ":method".Length + 3 + ":path".Length + 1 + ":authority".Length + "localhost".Length + ":scheme".Length + 4;
        Assert.Equal($"0:{expected}", exchange.RequestHeaders["x-size"]);
    }

    [Fact]
    public void Set_header_map_pairs_replaces_the_whole_response_map()
    {
        using var filter = ConformanceFilters.Load("headers");
        var exchange = filter.Request("GET", "/");
        exchange.SendResponseHeaders(200, true, ("a", "1"), ("b", "2"));
        Assert.Equal([(":status", "200"), ("b", "2"), ("a", "1"), ("x-rewritten", "1")],
            exchange.ResponseHeaders.Select(h => (h.Key, h.Value)));
        Assert.Contains("set pairs=0", filter.LogMessages);
    }

    [Fact]
    public void Request_headers_cannot_be_changed_once_the_request_went_upstream()
    {
        using var filter = ConformanceFilters.Load("headers");
        var exchange = filter.Request("GET", "/");
        exchange.SendResponseHeaders(200);
        Assert.Contains("late request header add=2", filter.LogMessages);
        Assert.False(exchange.RequestHeaders.Contains("x-late"));
    }
}
