using ImageHub.Filters.Tests.Support;
using ImageHub.ProxyWasm;

namespace ImageHub.Filters.Tests.MultiTenancy;

public class TenantResolutionTests
{
    [Theory]
    [InlineData("acme.localhost", "acme")]
    [InlineData("acme.localhost:8080", "acme")]
    [InlineData("ACME.LocalHost:8080", "acme")]
    [InlineData("acme.imagehub.example", "acme")]
    [InlineData("acme.localhost.", "acme")]
    [InlineData("globex.localhost:8080", "globex")]
    public void A_known_host_sets_the_tenant_header_for_the_upstream(string authority, string tenant)
    {
        using var filter = TestFilters.Tenancy();
        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders("GET", "/api/images", authority);

        Assert.Equal(FilterAction.Continue, step.Action);
        Assert.Equal(tenant, exchange.RequestHeaders["x-imagehub-tenant"]);
    }

    [Theory]
    [InlineData("evil.localhost")]
    [InlineData("localhost:8080")]
    [InlineData("acme.localhost.evil.com")]
    [InlineData("xacme.localhost")]
    [InlineData("")]
    public void An_unknown_host_gets_a_404_json_reply_and_never_reaches_the_upstream(string authority)
    {
        using var filter = TestFilters.Tenancy();
        var exchange = filter.Request("GET", "/api/images", authority);

        var reply = Assert.IsType<LocalReply>(exchange.LocalReply);
        Assert.Equal(404, reply.StatusCode);
        Assert.Equal("""{"error":"unknown_tenant"}""", reply.BodyText());
        Assert.Equal("application/json", reply.Headers["content-type"]);
        Assert.Null(exchange.LocalReplyHeaders!["x-imagehub-tenant"]);
    }

    [Fact]
    public void The_response_carries_the_tenant()
    {
        using var filter = TestFilters.Tenancy();
        var exchange = filter.Request("GET", "/", "globex.localhost");
        exchange.SendResponseHeaders(200, true, ("content-type", "text/html"));

        Assert.Equal("globex", exchange.ResponseHeaders["x-imagehub-tenant"]);
        Assert.Equal("text/html", exchange.ResponseHeaders["content-type"]);
    }

    [Fact]
    public void The_upstream_cannot_choose_another_tenant_in_its_response()
    {
        using var filter = TestFilters.Tenancy();
        var exchange = filter.Request("GET", "/", "acme.localhost");
        exchange.SendResponseHeaders(200, true, ("x-imagehub-tenant", "globex"));

        Assert.Equal(["acme"], exchange.ResponseHeaders.GetAll("x-imagehub-tenant"));
    }

    [Fact]
    public void A_huge_authority_is_an_unknown_tenant_not_a_crash()
    {
        using var filter = TestFilters.Tenancy();
        var exchange = filter.Request("GET", "/", new string('a', 100_000) + ".localhost");

        Assert.Equal(404, exchange.LocalReply!.StatusCode);
        Assert.Equal(0, filter.Info.Failures);
    }

    [Fact]
    public void Requests_are_counted_per_tenant_and_rejections_once()
    {
        using var filter = TestFilters.Tenancy();
        filter.Request("GET", "/", "acme.localhost").Complete();
        filter.Request("GET", "/", "acme.localhost").Complete();
        filter.Request("GET", "/", "globex.localhost").Complete();
        filter.Request("GET", "/", "nobody.localhost").Complete();

        Assert.Equal(2, filter.Metric("tenancy.acme.requests"));
        Assert.Equal(1, filter.Metric("tenancy.globex.requests"));
        Assert.Equal(1, filter.Metric("tenancy.unknown_tenant.rejections"));
    }
}
