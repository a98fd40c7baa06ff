using ImageHub.Filters.Tests.Support;

namespace ImageHub.Filters.Tests.MultiTenancy;

/// <summary>Path-prefix mode: /t/{tenant}/... names the tenant and the prefix is stripped before the upstream.</summary>
public class PathPrefixTests
{
    [Theory]
    [InlineData("/t/globex/api/images", "globex", "/api/images")]
    [InlineData("/t/globex/api/images/7/pull?size=large", "globex", "/api/images/7/pull?size=large")]
    [InlineData("/t/globex", "globex", "/")]
    [InlineData("/t/globex/", "globex", "/")]
    [InlineData("/t/globex?x=1", "globex", "/?x=1")]
    [InlineData("/t/ACME/gallery", "acme", "/gallery")]
    public void The_path_names_the_tenant_and_loses_its_prefix(string path, string tenant, string upstreamPath)
    {
        using var filter = TestFilters.Tenancy(TestFilters.TenancyPathPrefixConfiguration);
        var exchange = filter.Request("GET", path, "localhost:8080");

        Assert.Null(exchange.LocalReply);
        Assert.Equal(tenant, exchange.RequestHeaders["x-imagehub-tenant"]);
        Assert.Equal(upstreamPath, exchange.RequestHeaders[":path"]);
    }

    [Fact]
    public void An_unknown_tenant_in_the_path_is_a_404()
    {
        using var filter = TestFilters.Tenancy(TestFilters.TenancyPathPrefixConfiguration);
        var exchange = filter.Request("GET", "/t/initech/api/images", "acme.localhost");

        Assert.Equal(404, exchange.LocalReply!.StatusCode);
        Assert.Equal("""{"error":"unknown_tenant"}""", exchange.LocalReply.BodyText());
    }

    [Fact]
    public void Without_the_prefix_the_host_decides()
    {
        using var filter = TestFilters.Tenancy(TestFilters.TenancyPathPrefixConfiguration);
        var exchange = filter.Request("GET", "/api/images", "acme.localhost");

        Assert.Equal("acme", exchange.RequestHeaders["x-imagehub-tenant"]);
        Assert.Equal("/api/images", exchange.RequestHeaders[":path"]);
    }

    [Fact]
    public void Path_prefix_mode_is_off_unless_configured()
    {
        using var filter = TestFilters.Tenancy();
        var exchange = filter.Request("GET", "/t/globex/api/images", "acme.localhost");

        Assert.Equal("acme", exchange.RequestHeaders["x-imagehub-tenant"]);
        Assert.Equal("/t/globex/api/images", exchange.RequestHeaders[":path"]);
    }
}
