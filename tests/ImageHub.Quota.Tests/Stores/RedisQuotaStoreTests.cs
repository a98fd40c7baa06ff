using ImageHub.Quota.Plans;
using ImageHub.Quota.Redis;
using ImageHub.Quota.Store;
using ImageHub.Quota.Tests.Support;

namespace ImageHub.Quota.Tests.Stores;

/// <summary>The shared store suite against a real redis-server, plus what only Redis can do.</summary>
public sealed class RedisQuotaStoreTests : QuotaStoreContract, IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly RedisServerFixture _redis;
    private readonly RedisClient _client;
    private readonly RedisQuotaStore _store;

    public RedisQuotaStoreTests(RedisServerFixture redis)
    {
        _redis = redis;
        _client = new RedisClient(RedisClientOptions.Parse(redis.Server.ConnectionString));
        _store = new RedisQuotaStore(_client, _client.Options.Endpoint, Plans, Clock);
    }

    protected override IQuotaStore Store => _store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Plans_are_kept_in_redis_so_a_new_service_instance_sees_them()
    {
        var user = new UserKey(Tenant, "alice");
        Plans.TryGet("enterprise", out var enterprise);
        await _store.SetPlanAsync(user, enterprise);

        await using var otherClient = new RedisClient(RedisClientOptions.Parse(_redis.Server.ConnectionString));
        var otherInstance = new RedisQuotaStore(otherClient, "other", Plans, Clock);
        Assert.Equal("enterprise", (await otherInstance.GetPlanAsync(user)).Id);
        Assert.Equal(999, (await otherInstance.ConsumeAsync(user, 1)).Remaining);
    }

    [Fact]
    public async Task Two_service_instances_on_one_redis_share_one_limit()
    {
        var user = new UserKey(Tenant, "shared");
        await using var otherClient = new RedisClient(RedisClientOptions.Parse(_redis.Server.ConnectionString));
        IQuotaStore[] instances = [_store, new RedisQuotaStore(otherClient, "other", Plans, Clock)];

        using var start = new ManualResetEventSlim();
        var clients = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var allowed = 0;
            for (var n = 0; n < 4; n++)
                if ((await instances[i % 2].ConsumeAsync(user, 1)).Allowed) allowed++;
            return allowed;
        })).ToArray();
        start.Set();

        Assert.Equal(10, (await Task.WhenAll(clients)).Sum());
    }

    [Fact]
    public async Task The_window_key_expires_one_window_after_the_last_grant_and_plans_never_expire()
    {
        var user = new UserKey(Tenant, "alice");
        await _store.SetPlanAsync(user, Plans.Default);
        await _store.ConsumeAsync(user, 1);

        var ttl = (await _client.ExecuteAsync(["PTTL", $"quota:{{{Tenant}}}:log:alice"])).Integer;
        Assert.InRange(ttl, 1, 60_000);
        Assert.Equal(-1, (await _client.ExecuteAsync(["PTTL", $"quota:{{{Tenant}}}:plans"])).Integer);
    }

    [Fact]
    public async Task A_user_who_is_only_denied_or_only_asked_about_leaves_no_window_key()
    {
        var user = new UserKey(Tenant, "ghost");
        await _store.ConsumeAsync(user, 500); // above every limit it could have: denied, nothing recorded
        await _store.GetPlanAsync(user);
        Assert.Equal(0, (await _client.ExecuteAsync(["EXISTS", $"quota:{{{Tenant}}}:log:ghost"])).Integer);
    }

    [Fact]
    public async Task A_cost_larger_than_one_zadd_chunk_is_recorded_whole()
    {
        var user = new UserKey(Tenant, "huge");
        var plans = new PlanCatalog(new QuotaOptions { Plans = { ["big"] = new PlanOptions { Name = "Big", LimitPerMinute = 5000 } }, DefaultPlan = "big" });
        var store = new RedisQuotaStore(_client, "big", plans, Clock);
        Assert.Equal(new QuotaDecision(true, "big", 5000, 500, 60), await store.ConsumeAsync(user, 4500)); // 9000 ZADD arguments
        Assert.Equal(4500, (await _client.ExecuteAsync(["ZCARD", $"quota:{{{Tenant}}}:log:huge"])).Integer);
    }

    [Fact]
    public async Task Decisions_keep_working_after_the_script_cache_is_flushed()
    {
        var user = new UserKey(Tenant, "alice");
        await _store.ConsumeAsync(user, 1);
        await _client.ExecuteAsync(["SCRIPT", "FLUSH"]);
        Assert.Equal(8, (await _store.ConsumeAsync(user, 1)).Remaining);
    }

    [Fact]
    public async Task A_stored_plan_that_is_no_longer_configured_counts_as_the_default()
    {
        var user = new UserKey(Tenant, "legacy");
        await _client.ExecuteAsync(["HSET", $"quota:{{{Tenant}}}:plans", "legacy", "platinum"]);
        Assert.Equal("personal", (await _store.GetPlanAsync(user)).Id);
        Assert.Equal(new QuotaDecision(true, "personal", 10, 9, 60), await _store.ConsumeAsync(user, 1));
    }

    [Fact]
    public async Task An_unreachable_redis_is_a_store_outage()
    {
        int port;
        using (var gone = RedisServer.Start()) port = gone.Port;
        await using var client = new RedisClient(RedisClientOptions.Parse($"127.0.0.1:{port}"));
        var store = new RedisQuotaStore(client, "gone", Plans, Clock);
        var user = new UserKey(Tenant, "alice");
        await Assert.ThrowsAsync<QuotaStoreUnavailableException>(() => store.ConsumeAsync(user, 1));
        await Assert.ThrowsAsync<QuotaStoreUnavailableException>(() => store.GetPlanAsync(user));
        await Assert.ThrowsAsync<QuotaStoreUnavailableException>(() => store.SetPlanAsync(user, Plans.Default));
        await Assert.ThrowsAsync<QuotaStoreUnavailableException>(() => store.CheckReadyAsync());
    }
}
