using ImageHub.Filters.Tests.Support;

namespace ImageHub.Filters.Tests.RateLimit;

/// <summary>A bad configuration fails on_configure with one clear log line, so the filter never serves.</summary>
public class RateLimitConfigurationTests
{
    private const string Key = SessionTokens.SigningKey;

    [Theory]
    [InlineData("", "the configuration is empty")]
    [InlineData("{\"signingKey\":", "the configuration is not JSON")]
    [InlineData("\"signingKey\"", "must be a JSON object")]
    [InlineData("{\"quotaCluster\":\"quota\"}", "missing key \"signingKey\"")]
    [InlineData("{\"signingKey\":\"too-short\"}", "at least 32 characters")]
    [InlineData("{\"signingKey\":42}", "at least 32 characters")]
    [InlineData("{\"signingKey\":\"" + Key + "\",\"failureMode\":\"sometimes\"}", "\"failureMode\" must be \"open\" or \"closed\"")]
    [InlineData("{\"signingKey\":\"" + Key + "\",\"quotaTimeoutMs\":0}", "\"quotaTimeoutMs\" must be")]
    [InlineData("{\"signingKey\":\"" + Key + "\",\"quotaTimeoutMs\":1.5}", "\"quotaTimeoutMs\" must be")]
    [InlineData("{\"signingKey\":\"" + Key + "\",\"quotaCluster\":\"\"}", "\"quotaCluster\" must be")]
    [InlineData("{\"signingKey\":\"" + Key + "\",\"countedPaths\":\"GET /x\"}", "\"countedPaths\" must be an array")]
    [InlineData("{\"signingKey\":\"" + Key + "\",\"countedPaths\":[\"/api/images\"]}", "countedPaths[0] must look like")]
    public void A_bad_configuration_is_refused_with_the_reason(string configuration, string reason)
    {
        var refused = RefusedConfiguration.Load(BuiltFilters.RateLimit, configuration);

        Assert.Contains("proxy_on_configure returned false", refused.Error.Message);
        var line = Assert.Single(refused.Errors);
        Assert.StartsWith("rate-limit: invalid plugin configuration: ", line);
        Assert.Contains(reason, line);
    }

    [Fact]
    public void The_signing_key_never_appears_in_the_logs()
    {
        using var filter = TestFilters.RateLimit();
        filter.Pull(filter.Now() + "x");

        Assert.DoesNotContain(filter.LogMessages, m => m.Contains(Key, StringComparison.Ordinal));
        Assert.Contains(filter.LogMessages, m => m.StartsWith("rate-limit: configured", StringComparison.Ordinal));
    }
}
