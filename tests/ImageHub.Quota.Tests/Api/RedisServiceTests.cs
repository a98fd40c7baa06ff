using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ImageHub.Quota.Tests.Support;

namespace ImageHub.Quota.Tests.Api;

/// <summary>The service on a real redis-server: the contract, and surviving Redis going away.</summary>
public sealed class RedisServiceTests : IDisposable
{
    private readonly RedisServer _redis = RedisServer.Start(persistent: true);
    private readonly string _tenant = Ids.NewTenant();

    private QuotaServiceFactory NewService(string? extra = null) =>
        new(new Dictionary<string, string?> { ["Quota:Redis"] = _redis.ConnectionString + extra });

    private Task<HttpResponseMessage> Consume(HttpClient client, string user) =>
        client.PostAsJsonAsync("/v1/quota/consume", new { tenant = _tenant, user, cost = 1 });

    [Fact]
    public async Task The_contract_holds_on_redis_including_fifty_parallel_clients()
    {
        using var service = NewService();
        using var client = service.CreateClient();
        Assert.Contains("redis 127.0.0.1", await client.GetStringAsync("/readyz"));

        var first = await Consume(client, "alice");
        Assert.Equal("""{"allowed":true,"plan":"personal","limit":10,"remaining":9,"resetSeconds":60}""", await first.Content.ReadAsStringAsync());

        await client.PutAsJsonAsync($"/v1/users/{_tenant}/bob/plan", new { plan = "team" });
        var responses = await Task.WhenAll(Enumerable.Range(0, 150).Select(_ => Task.Run(() => Consume(client, "bob"))));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(100, bodies.Count(b => b.GetProperty("allowed").GetBoolean()));
    }

    [Fact]
    public async Task When_redis_goes_down_decisions_are_503_fast_and_the_service_recovers_with_plans_intact()
    {
        using var service = NewService(",timeoutMs=300");
        using var client = service.CreateClient();
        var put = await client.PutAsJsonAsync($"/v1/users/{_tenant}/alice/plan", new { plan = "team" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Consume(client, "alice")).StatusCode);

        _redis.Stop();

        var clock = Stopwatch.StartNew();
        var down = await Consume(client, "alice");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a decision during the outage took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync($"/v1/users/{_tenant}/alice")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        _redis.Restart();

        var recovered = await Eventually.SucceedsAsync(async () =>
        {
            var response = await Consume(client, "alice");
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        });
        // The plan survived the restart (append-only file); so did the count of the first pull.
        Assert.Equal("team", recovered.GetProperty("plan").GetString());
        Assert.Equal(98, recovered.GetProperty("remaining").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Plans_survive_a_restart_of_the_service()
    {
        using (var first = NewService())
        using (var client = first.CreateClient())
            await client.PutAsJsonAsync($"/v1/users/{_tenant}/carol/plan", new { plan = "enterprise" });

        using var second = NewService();
        using var again = second.CreateClient();
        var user = await again.GetFromJsonAsync<JsonElement>($"/v1/users/{_tenant}/carol");
        Assert.Equal("enterprise", user.GetProperty("plan").GetString());
    }

    [Fact]
    public async Task A_redis_that_accepts_but_never_answers_gives_503_after_the_timeout()
    {
        using var silent = new FakeRedisServer((_, _) => Task.CompletedTask);
        using var service = new QuotaServiceFactory(new Dictionary<string, string?> { ["Quota:Redis"] = silent.ConnectionString + ",timeoutMs=200" });
        using var client = service.CreateClient();
        var response = await Consume(client, "alice");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("did not answer within 200 ms", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void A_bad_connection_string_stops_the_start_with_a_clear_message()
    {
        using var service = new QuotaServiceFactory(new Dictionary<string, string?> { ["Quota:Redis"] = "127.0.0.1:6379,pasword=x" });
        var error = Assert.ThrowsAny<Exception>(() => service.CreateClient());
        Assert.Contains("Quota:Redis is not a valid connection string", error.ToString());
    }

    public void Dispose() => _redis.Dispose();
}
