using ImageHub.Filters.Tests.Support;
using ImageHub.ProxyWasm;
using ImageHub.ProxyWasm.Testing;

namespace ImageHub.Filters.Tests;

/// <summary>Each filter answers to its own name as root_id (with '-' or '_') and to Envoy's default, the empty root_id.</summary>
public class RootIdTests
{
    [Theory]
    [InlineData("")]
    [InlineData("multi-tenancy")]
    [InlineData("multi_tenancy")]
    public void The_tenancy_filter_serves_under_its_root_ids(string rootId)
    {
        using var filter = FilterHarness.Load(BuiltFilters.MultiTenancy, TestFilters.TenancyConfiguration, new HarnessOptions { RootId = rootId });
        Assert.Equal("acme", filter.Request("GET", "/", "acme.localhost").RequestHeaders["x-imagehub-tenant"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("rate-limit")]
    [InlineData("rate_limit")]
    public void The_rate_limit_filter_serves_under_its_root_ids(string rootId)
    {
        using var filter = TestFilters.RateLimit(options: new HarnessOptions { RootId = rootId });
        Assert.Equal(401, filter.Pull(null).LocalReply!.StatusCode);
    }

    [Fact]
    public void Another_root_id_is_refused_at_load()
    {
        Assert.ThrowsAny<PluginLoadException>(() =>
            FilterHarness.Load(BuiltFilters.MultiTenancy, TestFilters.TenancyConfiguration, new HarnessOptions { RootId = "rate-limit" }));
    }
}
