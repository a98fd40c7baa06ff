using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Routing;

namespace ImageHub.Sidecar.Tests;

public class RouteTableTests
{
    private static RouteConfig Prefix(string prefix, string cluster, string? rewrite = null, bool caseSensitive = true) =>
        new(null, new RouteMatchConfig(prefix, null, null, caseSensitive), new RouteActionConfig(cluster, rewrite, TimeSpan.FromSeconds(15)), null);

    private static RouteConfig Exact(string path, string cluster, string? rewrite = null) =>
        new(null, new RouteMatchConfig(null, path, null, true), new RouteActionConfig(cluster, rewrite, TimeSpan.FromSeconds(15)), null);

    private static RouteConfig Regex(string regex, string cluster) =>
        new(null, new RouteMatchConfig(null, null, regex, true), new RouteActionConfig(cluster, null, TimeSpan.FromSeconds(15)), null);

    private static RouteTable Table(params VirtualHostConfig[] hosts) => new(new RouteConfiguration("t", hosts));

    [Theory]
    [InlineData("acme.localhost", "exact")]
    [InlineData("ACME.localhost", "exact")]
    [InlineData("x.acme.localhost", "suffix-long")]
    [InlineData("x.other.localhost", "suffix-short")]
    [InlineData("globex.example", "prefix")]
    [InlineData("elsewhere", "any")]
    [InlineData("acme.localhost:8080", "prefix-port")]
    public void Virtual_hosts_follow_envoys_search_order(string authority, string expected)
    {
        var table = Table(
            new("any", ["*"], [Prefix("/", "any")]),
            new("prefix", ["globex.*"], [Prefix("/", "prefix")]),
            new("prefix-port", ["acme.localhost:*"], [Prefix("/", "prefix-port")]),
            new("suffix-short", ["*.localhost"], [Prefix("/", "suffix-short")]),
            new("suffix-long", ["*.acme.localhost"], [Prefix("/", "suffix-long")]),
            new("exact", ["acme.localhost"], [Prefix("/", "exact")]));

        Assert.Equal(expected, table.Select(authority, "/")!.Config.Route!.Cluster);
    }

    [Fact]
    public void No_matching_virtual_host_is_no_route()
    {
        var table = Table(new VirtualHostConfig("only", ["acme.localhost"], [Prefix("/", "a")]));
        Assert.Null(table.Select("globex.localhost", "/"));
    }

    [Fact]
    public void The_first_matching_route_wins()
    {
        var table = Table(new VirtualHostConfig("v", ["*"], [Prefix("/api", "api"), Prefix("/", "web")]));
        Assert.Equal("api", table.Select("h", "/api/images")!.Config.Route!.Cluster);
        Assert.Equal("web", table.Select("h", "/gallery")!.Config.Route!.Cluster);
    }

    [Fact]
    public void Prefix_sees_the_query_path_and_regex_do_not()
    {
        var table = Table(new VirtualHostConfig("v", ["*"], [Exact("/health", "exact"), Regex("/api/images/[^/]+/pull", "regex"), Prefix("/x?y", "prefix")]));
        Assert.Equal("exact", table.Select("h", "/health?verbose=1")!.Config.Route!.Cluster);
        Assert.Equal("regex", table.Select("h", "/api/images/42/pull?x=1")!.Config.Route!.Cluster);
        Assert.Equal("prefix", table.Select("h", "/x?y=1")!.Config.Route!.Cluster);
        Assert.Null(table.Select("h", "/healthz"));
    }

    [Fact]
    public void Regex_must_match_the_whole_path()
    {
        var table = Table(new VirtualHostConfig("v", ["*"], [Regex("/api/[0-9]+", "r")]));
        Assert.NotNull(table.Select("h", "/api/42"));
        Assert.Null(table.Select("h", "/api/42/more"));
        Assert.Null(table.Select("h", "/v2/api/42"));
    }

    [Fact]
    public void Case_sensitivity_is_configurable()
    {
        Assert.Null(Table(new VirtualHostConfig("v", ["*"], [Prefix("/API", "a")])).Select("h", "/api"));
        Assert.NotNull(Table(new VirtualHostConfig("v", ["*"], [Prefix("/API", "a", caseSensitive: false)])).Select("h", "/api"));
    }

    [Fact]
    public void Prefix_rewrite_replaces_only_the_matched_part()
    {
        var route = new CompiledRoute(Prefix("/t/acme/", "a", rewrite: "/"));
        Assert.Equal("/api/images?x=1", route.RewritePath("/t/acme/api/images?x=1"));
        var exact = new CompiledRoute(Exact("/old", "a", rewrite: "/new"));
        Assert.Equal("/new?q=1", exact.RewritePath("/old?q=1"));
    }
}
