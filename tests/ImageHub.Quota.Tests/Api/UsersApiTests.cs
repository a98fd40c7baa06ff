using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ImageHub.Quota.Tests.Api;

public sealed class UsersApiTests(InMemoryServiceFixture fixture) : ApiTestBase(fixture.Factory), IClassFixture<InMemoryServiceFixture>
{
    [Fact]
    public async Task Put_plan_answers_the_user_with_plan_and_limit_and_get_reads_it_back()
    {
        var put = await PutRaw($"/v1/users/{Tenant}/alice/plan", """{"plan":"team"}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var expected = $$"""{"tenant":"{{Tenant}}","user":"alice","plan":"team","limit":100}""";
        Assert.Equal(expected, await put.Content.ReadAsStringAsync());
        Assert.Equal(expected, await Client.GetStringAsync($"/v1/users/{Tenant}/alice"));
    }

    [Fact]
    public async Task A_user_without_plan_on_record_reads_as_personal()
    {
        var user = await Client.GetFromJsonAsync<JsonElement>($"/v1/users/{Tenant}/nobody");
        Assert.Equal("personal", user.GetProperty("plan").GetString());
        Assert.Equal(10, user.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task The_plan_set_decides_the_limit_of_the_next_pull()
    {
        await PutRaw($"/v1/users/{Tenant}/bob/plan", """{"plan":"enterprise"}""");
        var decision = await Consume("bob");
        Assert.Equal("enterprise", decision.GetProperty("plan").GetString());
        Assert.Equal(999, decision.GetProperty("remaining").GetInt32());
    }

    [Theory]
    [InlineData("""{"plan":"gold"}""", "Unknown plan 'gold'; known plans: personal, team, enterprise.")]
    [InlineData("""{"plan":"TEAM"}""", "Unknown plan 'TEAM'")]
    [InlineData("""{"plan":""}""", "'plan' is required")]
    [InlineData("""{}""", "'plan' is required")]
    [InlineData("""{"plan":3}""", "at $.plan")]
    [InlineData("""{"plan":""", "not valid JSON")]
    public async Task Bad_plan_requests_are_400_and_change_nothing(string body, string detail)
    {
        await PutRaw($"/v1/users/{Tenant}/carol/plan", """{"plan":"team"}""");
        await AssertProblem(await PutRaw($"/v1/users/{Tenant}/carol/plan", body), HttpStatusCode.BadRequest, detail);
        Assert.Equal("team", (await Client.GetFromJsonAsync<JsonElement>($"/v1/users/{Tenant}/carol")).GetProperty("plan").GetString());
    }

    [Theory]
    [InlineData("/v1/users/acme/al%20ice", "'user' may contain only")]
    [InlineData("/v1/users/ac%3Ame/alice", "'tenant' may contain only")]
    [InlineData("/v1/users/acme/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "at most 64")]
    public async Task Bad_ids_in_the_path_are_400(string path, string detail)
    {
        await AssertProblem(await Client.GetAsync(path), HttpStatusCode.BadRequest, detail);
        await AssertProblem(await PutRaw(path + "/plan", """{"plan":"team"}"""), HttpStatusCode.BadRequest, detail);
    }
}
