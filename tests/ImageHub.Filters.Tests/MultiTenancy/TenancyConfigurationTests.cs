using ImageHub.Filters.Tests.Support;

namespace ImageHub.Filters.Tests.MultiTenancy;

/// <summary>A bad configuration fails on_configure with one clear log line, so the filter never serves.</summary>
public class TenancyConfigurationTests
{
    [Theory]
    [InlineData("", "the configuration is empty")]
    [InlineData("{", "the configuration is not JSON")]
    [InlineData("{\"tenants\":[{\"id\":\"acme\",\"hosts\":[\"a\"]}]} trailing", "the configuration is not JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"hosts\":[]}", "missing key \"tenants\"")]
    [InlineData("{\"tenants\":[]}", "\"tenants\" must be a non-empty array")]
    [InlineData("{\"tenants\":[{\"hosts\":[\"a\"]}]}", "tenants[0]: missing key \"id\"")]
    [InlineData("{\"tenants\":[{\"id\":\"Acme Corp\",\"hosts\":[\"a\"]}]}", "tenants[0].id must be lower-case")]
    [InlineData("{\"tenants\":[{\"id\":\"acme\",\"hosts\":\"acme.localhost\"}]}", "tenants[0].hosts must be an array")]
    [InlineData("{\"tenants\":[{\"id\":\"acme\"}]}", "can never be reached")]
    [InlineData("{\"tenants\":[{\"id\":\"a\",\"hosts\":[\"x\"]},{\"id\":\"a\",\"hosts\":[\"y\"]}]}", "tenant \"a\" is listed twice")]
    [InlineData("{\"pathPrefix\":\"t\",\"tenants\":[{\"id\":\"a\",\"hosts\":[\"x\"]}]}", "\"pathPrefix\" must start and end with '/'")]
    [InlineData("{\"tenantHeader\":\"Bad Header\",\"tenants\":[{\"id\":\"a\",\"hosts\":[\"x\"]}]}", "\"tenantHeader\" must be")]
    public void A_bad_configuration_is_refused_with_the_reason(string configuration, string reason)
    {
        var refused = RefusedConfiguration.Load(BuiltFilters.MultiTenancy, configuration);

        Assert.Contains("proxy_on_configure returned false", refused.Error.Message);
        var line = Assert.Single(refused.Errors);
        Assert.StartsWith("multi-tenancy: invalid plugin configuration: ", line);
        Assert.Contains(reason, line);
    }

    [Fact]
    public void A_good_configuration_is_accepted_and_logged()
    {
        using var filter = TestFilters.Tenancy(TestFilters.TenancyPathPrefixConfiguration);

        Assert.Contains("multi-tenancy: configured 2 tenants, path prefix /t/", filter.LogMessages);
    }
}
