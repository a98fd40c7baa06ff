using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Tests.Conformance;

public class SmokeTests
{
    [Fact]
    public void Lifecycle_filter_adds_a_response_header()
    {
        using var filter = FilterHarness.Load(ConformanceFilters.Path("lifecycle"));
        var exchange = filter.Request("GET", "/");
        var response = exchange.SendResponseHeaders(200);
        Assert.Equal(FilterAction.Continue, response.Action);
        Assert.Equal("yes", exchange.ResponseHeaders["x-conformance"]);
    }
}
