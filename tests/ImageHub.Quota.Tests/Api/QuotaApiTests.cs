using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ImageHub.Quota.Tests.Api;

public sealed class QuotaApiTests(InMemoryServiceFixture fixture) : ApiTestBase(fixture.Factory), IClassFixture<InMemoryServiceFixture>
{
    [Fact]
    public async Task Consume_answers_the_contract_shape()
    {
        var response = await PostRaw("/v1/quota/consume", $$"""{"tenant":"{{Tenant}}","user":"alice","cost":1}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"allowed":true,"plan":"personal","limit":10,"remaining":9,"resetSeconds":60}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_denial_is_a_200_with_allowed_false()
    {
        for (var i = 0; i < 10; i++) Assert.True((await Consume("bob")).GetProperty("allowed").GetBoolean());
        var denied = await Consume("bob");
        Assert.False(denied.GetProperty("allowed").GetBoolean());
        Assert.Equal(0, denied.GetProperty("remaining").GetInt32());
        Assert.Equal(60, denied.GetProperty("resetSeconds").GetInt32());
    }

    [Fact]
    public async Task Cost_defaults_to_one()
    {
        var response = await PostRaw("/v1/quota/consume", $$"""{"tenant":"{{Tenant}}","user":"carol"}""");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(9, body.GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task Every_username_the_web_app_allows_is_accepted()
    {
        foreach (var user in new[] { "-bob", "_carol", "a-b_c", "x9" })
            Assert.Equal("personal", (await Consume(user)).GetProperty("plan").GetString());
    }

    [Fact]
    public async Task Ids_are_compared_in_lower_case()
    {
        await Consume("Dave");
        var second = await Consume("dave");
        Assert.Equal(8, second.GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task Fifty_parallel_http_clients_get_exactly_the_limit_through()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => Consume("eve"))));
        Assert.Equal(10, results.Count(r => r.GetProperty("allowed").GetBoolean()));
    }

    [Theory]
    [InlineData("""{"tenant":"acme","user":"alice","cost":0}""", "'cost' must be a whole number from 1 to 1000 (was 0)")]
    [InlineData("""{"tenant":"acme","user":"alice","cost":-3}""", "(was -3)")]
    [InlineData("""{"tenant":"acme","user":"alice","cost":1001}""", "(was 1001)")]
    [InlineData("""{"tenant":"acme","user":"alice","cost":99999999999}""", "not valid JSON for this endpoint at $.cost")]
    [InlineData("""{"tenant":"acme","user":"alice","cost":1.5}""", "at $.cost")]
    [InlineData("""{"tenant":"acme","user":"alice","cost":"1"}""", "at $.cost")]
    [InlineData("""{"tenant":"acme","cost":1}""", "'user' is required")]
    [InlineData("""{"user":"alice"}""", "'tenant' is required")]
    [InlineData("""{"tenant":"","user":"alice"}""", "'tenant' is required and must not be empty")]
    [InlineData("""{"tenant":"acme","user":"al ice"}""", "'user' may contain only letters, digits")]
    [InlineData("""{"tenant":"acme","user":"alice:1"}""", "'user' may contain only")]
    [InlineData("""{"tenant":"ac{me}","user":"alice"}""", "'tenant' may contain only")]
    [InlineData("""{"tenant":"acme","user":"alice/x"}""", "'user' may contain only letters, digits and . _ @ + -")]
    [InlineData("""{"tenant":"acme","user":"ålice"}""", "'user' may contain only")]
    [InlineData("""{"tenant":"acme","user":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", "'user' is 65 characters long; at most 64")]
    [InlineData("""{"tenant":"acme","user":"alice",""", "ends early")]
    [InlineData("""not json""", "not valid JSON")]
    [InlineData("""[1,2]""", "not valid JSON")]
    [InlineData("""null""", "must be a JSON object")]
    [InlineData("", "empty")]
    [InlineData("""{"tenant":"acme","user":"alice"} {"tenant":"acme","user":"bob"}""", "more after the JSON object")]
    [InlineData("""{"tenant":"acme","user":"alice"}x""", "more after the JSON object")]
    [InlineData("""{"tenant":7,"user":"alice"}""", "at $.tenant")]
    public async Task Bad_input_is_a_400_that_says_what_is_wrong(string body, string detail)
    {
        await AssertProblem(await PostRaw("/v1/quota/consume", body), HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task A_body_over_16_KiB_is_a_400()
    {
        var body = $$"""{"tenant":"{{Tenant}}","user":"zed","pad":"{{new string('x', 17_000)}}"}""";
        await AssertProblem(await PostRaw("/v1/quota/consume", body), HttpStatusCode.BadRequest, "larger than 16384 bytes");
    }

    [Fact]
    public async Task Bad_input_counts_nothing()
    {
        await PostRaw("/v1/quota/consume", $$"""{"tenant":"{{Tenant}}","user":"frank","cost":0}""");
        await PostRaw("/v1/quota/consume", $$"""{"tenant":"{{Tenant}}","user":"frank","cost":5000}""");
        Assert.Equal(9, (await Consume("frank")).GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task The_window_follows_the_service_clock()
    {
        for (var i = 0; i < 10; i++) await Consume("grace");
        Factory.Clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(15, (await Consume("grace")).GetProperty("resetSeconds").GetInt32());
        Factory.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.True((await Consume("grace")).GetProperty("allowed").GetBoolean());
    }
}
