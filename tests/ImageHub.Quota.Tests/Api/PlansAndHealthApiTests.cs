using System.Net;
using ImageHub.Quota.Tests.Support;

namespace ImageHub.Quota.Tests.Api;

public sealed class PlansAndHealthApiTests(InMemoryServiceFixture fixture) : ApiTestBase(fixture.Factory), IClassFixture<InMemoryServiceFixture>
{
    [Fact]
    public async Task Plans_are_listed_smallest_first()
    {
        Assert.Equal(
            """[{"id":"personal","name":"Personal","limitPerMinute":10},{"id":"team","name":"Team","limitPerMinute":100},{"id":"enterprise","name":"Enterprise","limitPerMinute":1000}]""",
            await Client.GetStringAsync("/v1/plans"));
    }

    [Fact]
    public async Task Plans_come_from_configuration()
    {
        using var factory = new QuotaServiceFactory(new Dictionary<string, string?>
        {
            ["Quota:Plans:personal:Name"] = "Personal",
            ["Quota:Plans:personal:LimitPerMinute"] = "3",
            ["Quota:Plans:studio:Name"] = "Studio",
            ["Quota:Plans:studio:LimitPerMinute"] = "50",
        });
        using var client = factory.CreateClient();
        Assert.Equal(
            """[{"id":"personal","name":"Personal","limitPerMinute":3},{"id":"studio","name":"Studio","limitPerMinute":50}]""",
            await client.GetStringAsync("/v1/plans"));
    }

    [Fact]
    public async Task The_largest_cost_comes_from_configuration()
    {
        using var factory = new QuotaServiceFactory(new Dictionary<string, string?> { ["Quota:MaxCost"] = "5" });
        using var client = factory.CreateClient();
        var tooMuch = await client.PostAsync("/v1/quota/consume", new StringContent("""{"tenant":"acme","user":"alice","cost":6}""", System.Text.Encoding.UTF8, "application/json"));
        await AssertProblem(tooMuch, HttpStatusCode.BadRequest, "from 1 to 5 (was 6)");
        var fine = await client.PostAsync("/v1/quota/consume", new StringContent("""{"tenant":"acme","user":"alice","cost":5}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public void A_max_cost_below_one_stops_the_start()
    {
        using var factory = new QuotaServiceFactory(new Dictionary<string, string?> { ["Quota:MaxCost"] = "0" });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Quota:MaxCost must be at least 1", error.ToString());
    }

    [Fact]
    public async Task Healthz_and_readyz_answer_on_the_in_memory_store()
    {
        Assert.Contains("alive", await Client.GetStringAsync("/healthz"));
        var ready = await Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("in-memory", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_paths_are_404_problem_json()
    {
        var response = await Client.GetAsync("/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
