namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>Hostcalls used wrongly, or for what this host cannot do, answer Envoy's status instead of crashing.</summary>
public class StatusTests
{
    [Theory]
    [InlineData("x-bad-map-type", 2)]
    [InlineData("x-missing-header", 1)]
    [InlineData("x-callout-map-outside-callout", 2)]
    [InlineData("x-response-map-in-request", 2)]
    [InlineData("x-bad-log-level", 2)]
    [InlineData("x-bad-pointer", 6)]
    [InlineData("x-grpc-call", 12)]
    [InlineData("x-grpc-cancel", 1)]
    [InlineData("x-foreign-function", 1)]
    [InlineData("x-done", 1)]
    [InlineData("x-effective-unknown", 2)]
    [InlineData("x-effective-self", 0)]
    [InlineData("x-continue-bad-stream", 2)]
    [InlineData("x-plugin-config-outside-configure", 1)]
    [InlineData("x-vm-config-write", 2)]
    [InlineData("x-bad-buffer-type", 2)]
    public void Each_misuse_gets_its_documented_status(string header, int status)
    {
        using var filter = ConformanceFilters.Load("statuses");
        var exchange = filter.Request("GET", "/");
        Assert.Equal(status.ToString(), exchange.RequestHeaders[header]);
        Assert.Equal(0, filter.Info.Failures);
    }
}
