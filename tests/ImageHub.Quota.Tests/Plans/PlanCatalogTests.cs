using ImageHub.Quota.Plans;

namespace ImageHub.Quota.Tests.Plans;

public sealed class PlanCatalogTests
{
    [Fact]
    public void Without_configuration_the_contract_plans_are_used()
    {
        var catalog = new PlanCatalog(new QuotaOptions());
        Assert.Equal(["personal:10", "team:100", "enterprise:1000"], catalog.All.Select(p => $"{p.Id}:{p.LimitPerMinute}"));
        Assert.Equal("personal", catalog.Default.Id);
    }

    [Fact]
    public void An_unknown_stored_plan_resolves_to_the_default()
    {
        Assert.Equal("personal", new PlanCatalog(new QuotaOptions()).Resolve("platinum").Id);
    }

    [Theory]
    [InlineData("Gold", 5, "plan id 'Gold'")]
    [InlineData("gold", 0, "LimitPerMinute must be at least 1")]
    public void Bad_plan_configuration_stops_the_start_with_a_clear_message(string id, int limit, string message)
    {
        var options = new QuotaOptions { DefaultPlan = id };
        options.Plans[id] = new PlanOptions { Name = "x", LimitPerMinute = limit };
        var error = Assert.Throws<InvalidOperationException>(() => new PlanCatalog(options));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_default_plan_that_is_not_configured_stops_the_start()
    {
        var options = new QuotaOptions { DefaultPlan = "free" };
        var error = Assert.Throws<InvalidOperationException>(() => new PlanCatalog(options));
        Assert.Contains("Quota:DefaultPlan 'free'", error.Message);
    }
}
