using ImageHub.Filters.Tests.Support;
using ImageHub.ProxyWasm;

namespace ImageHub.Filters.Tests.RateLimit;

public class CountedPathTests
{
    [Theory]
    [InlineData("GET", "/api/images")]
    [InlineData("GET", "/api/images/42")]
    [InlineData("POST", "/api/images/42/pull")]
    [InlineData("GET", "/api/images//pull")]
    [InlineData("GET", "/api/images/42/pull/extra")]
    [InlineData("GET", "/")]
    public void Uncounted_requests_pass_untouched_without_a_token(string method, string path)
    {
        using var filter = TestFilters.RateLimit();
        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders(method, path, "acme.localhost");
        exchange.SendResponseHeaders(200);

        Assert.Equal(FilterAction.Continue, step.Action);
        Assert.Empty(filter.AllCallouts);
        Assert.DoesNotContain(exchange.ResponseHeaders, h => h.Key.StartsWith("x-ratelimit", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/images/42/pull")]
    [InlineData("/api/images/abc-def/pull?download=1")]
    public void The_pull_endpoint_is_counted_by_default(string path)
    {
        using var filter = TestFilters.RateLimit();
        var exchange = filter.Request("GET", path, "acme.localhost");

        Assert.Equal(401, exchange.LocalReply!.StatusCode);
    }

    [Fact]
    public void Counted_paths_come_from_the_configuration()
    {
        using var filter = TestFilters.RateLimit(TestFilters.RateLimitConfiguration(extra: ""","countedPaths":["POST /api/images","* /api/admin/*"]"""));

        Assert.Equal(401, filter.Request("POST", "/api/images", "acme.localhost").LocalReply!.StatusCode);
        Assert.Equal(401, filter.Request("DELETE", "/api/admin/users", "acme.localhost").LocalReply!.StatusCode);
        Assert.Null(filter.Request("GET", "/api/images/42/pull", "acme.localhost").LocalReply);
    }
}
