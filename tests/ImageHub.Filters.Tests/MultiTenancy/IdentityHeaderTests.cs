using ImageHub.Filters.Tests.Support;
using ImageHub.ProxyWasm;

namespace ImageHub.Filters.Tests.MultiTenancy;

/// <summary>Nobody outside the mesh may claim an identity: every client x-imagehub-* header goes.</summary>
public class IdentityHeaderTests
{
    [Fact]
    public void Client_identity_headers_are_removed_and_the_tenant_is_the_filters()
    {
        using var filter = TestFilters.Tenancy();
        var exchange = filter.Request("GET", "/api/images", "acme.localhost",
            ("x-imagehub-tenant", "globex"), ("X-ImageHub-User", "root"), ("x-imagehub-plan", "enterprise"),
            ("x-imagehubnot", "kept"), ("x-request-id", "r1"));

        Assert.Equal(["acme"], exchange.RequestHeaders.GetAll("x-imagehub-tenant"));
        Assert.Null(exchange.RequestHeaders["x-imagehub-user"]);
        Assert.Null(exchange.RequestHeaders["x-imagehub-plan"]);
        Assert.Equal("kept", exchange.RequestHeaders["x-imagehubnot"]);
        Assert.Equal("r1", exchange.RequestHeaders["x-request-id"]);
    }

    [Fact]
    public void Identity_headers_are_removed_even_when_the_tenant_is_unknown()
    {
        using var filter = TestFilters.Tenancy();
        var exchange = filter.Request("GET", "/", "nobody.localhost", ("x-imagehub-tenant", "acme"));

        Assert.Equal(404, exchange.LocalReply!.StatusCode);
        Assert.Null(exchange.RequestHeaders["x-imagehub-tenant"]);
    }

    [Fact]
    public void Many_and_huge_headers_are_handled()
    {
        using var filter = TestFilters.Tenancy();
        var headers = Enumerable.Range(0, 200).Select(i => ($"x-imagehub-{i}", new string('v', 1000)))
            .Append(("cookie", new string('c', 200_000))).ToArray();
        var exchange = filter.NewExchange();
        var step = exchange.SendRequestHeaders("GET", "/", "acme.localhost", headers);

        Assert.Equal(FilterAction.Continue, step.Action);
        Assert.Equal(0, filter.Info.Failures);
        Assert.DoesNotContain(exchange.RequestHeaders, h => h.Key.StartsWith("x-imagehub-", StringComparison.Ordinal) && h.Key != "x-imagehub-tenant");
        Assert.Equal("acme", exchange.RequestHeaders["x-imagehub-tenant"]);
        Assert.Equal(200_000, exchange.RequestHeaders["cookie"]!.Length);
    }

    [Fact]
    public void Header_names_come_from_the_configuration()
    {
        using var filter = TestFilters.Tenancy("""
            {"tenantHeader":"x-corp-tenant","stripHeaderPrefix":"x-corp-",
             "tenants":[{"id":"acme","hosts":["acme.localhost"]}]}
            """);
        var exchange = filter.Request("GET", "/", "acme.localhost", ("x-corp-user", "root"), ("x-imagehub-tenant", "x"));
        exchange.SendResponseHeaders(200);

        Assert.Equal("acme", exchange.RequestHeaders["x-corp-tenant"]);
        Assert.Null(exchange.RequestHeaders["x-corp-user"]);
        Assert.Equal("x", exchange.RequestHeaders["x-imagehub-tenant"]);
        Assert.Equal("acme", exchange.ResponseHeaders["x-corp-tenant"]);
    }
}
