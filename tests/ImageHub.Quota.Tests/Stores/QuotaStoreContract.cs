using ImageHub.Quota.Plans;
using ImageHub.Quota.Store;
using ImageHub.Quota.Tests.Support;

namespace ImageHub.Quota.Tests.Stores;

/// <summary>
/// What every <see cref="IQuotaStore"/> must do. Each store's test class derives from this, so the
/// in-memory store and the Redis store are held to the very same behaviour.
/// </summary>
public abstract class QuotaStoreContract
{
    protected ManualClock Clock { get; } = new();
    protected PlanCatalog Plans { get; } = new(new QuotaOptions());
    protected string Tenant { get; } = Ids.NewTenant();

    /// <summary>A store over <see cref="Clock"/> and <see cref="Plans"/>.</summary>
    protected abstract IQuotaStore Store { get; }

    private UserKey User(string name = "alice") => new(Tenant, name);

    private async Task<List<QuotaDecision>> ConsumeTimes(int times, UserKey user, int cost = 1)
    {
        var decisions = new List<QuotaDecision>();
        for (var i = 0; i < times; i++) decisions.Add(await Store.ConsumeAsync(user, cost));
        return decisions;
    }

    [Fact]
    public async Task First_pull_of_a_user_without_plan_is_personal_with_nine_left_and_a_full_minute()
    {
        var decision = await Store.ConsumeAsync(User(), 1);
        Assert.Equal(new QuotaDecision(true, "personal", 10, 9, 60), decision);
    }

    [Fact]
    public async Task The_eleventh_pull_in_a_minute_is_denied_until_the_first_leaves_the_window()
    {
        var user = User();
        var granted = await ConsumeTimes(10, user);
        Assert.All(granted, d => Assert.True(d.Allowed));
        Assert.Equal([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], granted.Select(d => d.Remaining));

        Assert.Equal(new QuotaDecision(false, "personal", 10, 0, 60), await Store.ConsumeAsync(user, 1));
        Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(new QuotaDecision(false, "personal", 10, 0, 30), await Store.ConsumeAsync(user, 1));
        Clock.AdvanceMilliseconds(29_999);
        Assert.Equal(new QuotaDecision(false, "personal", 10, 0, 1), await Store.ConsumeAsync(user, 1));
        Clock.AdvanceMilliseconds(1);
        // All ten leave together at 60 s; this pull is the only one in the new window.
        Assert.Equal(new QuotaDecision(true, "personal", 10, 9, 60), await Store.ConsumeAsync(user, 1));
    }

    [Fact]
    public async Task The_window_slides_instead_of_resetting_on_the_minute()
    {
        var user = User();
        await ConsumeTimes(5, user);
        Clock.Advance(TimeSpan.FromSeconds(30));
        await ConsumeTimes(5, user);

        Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(new QuotaDecision(false, "personal", 10, 0, 15), await Store.ConsumeAsync(user, 1));

        Clock.Advance(TimeSpan.FromSeconds(15)); // the first five have left, the second five still count
        Assert.Equal(new QuotaDecision(true, "personal", 10, 4, 30), await Store.ConsumeAsync(user, 1));
    }

    [Fact]
    public async Task Allowed_reset_is_the_time_until_the_oldest_pull_leaves_rounded_up()
    {
        var user = User();
        await Store.ConsumeAsync(user, 1);
        Clock.AdvanceMilliseconds(20_500);
        Assert.Equal(new QuotaDecision(true, "personal", 10, 8, 40), await Store.ConsumeAsync(user, 1));
    }

    [Fact]
    public async Task A_cost_counts_that_many_units_and_a_denial_waits_for_enough_of_them()
    {
        var user = User();
        Assert.Equal(6, (await Store.ConsumeAsync(user, 4)).Remaining);
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, (await Store.ConsumeAsync(user, 4)).Remaining);
        Clock.Advance(TimeSpan.FromSeconds(10));

        // 8 used, 4 more need 2 freed: the first entry (4 units, at t=0) leaves at t=60, 40 s from now.
        Assert.Equal(new QuotaDecision(false, "personal", 10, 2, 40), await Store.ConsumeAsync(user, 4));
        Assert.Equal(new QuotaDecision(true, "personal", 10, 0, 40), await Store.ConsumeAsync(user, 2));
    }

    [Fact]
    public async Task A_cost_above_the_limit_is_denied_and_counts_nothing()
    {
        var user = User();
        Assert.Equal(new QuotaDecision(false, "personal", 10, 10, 60), await Store.ConsumeAsync(user, 11));
        Assert.Equal(new QuotaDecision(true, "personal", 10, 0, 60), await Store.ConsumeAsync(user, 10));
    }

    [Fact]
    public async Task The_largest_cost_fills_an_enterprise_window_in_one_request()
    {
        var user = User("bulk");
        Plans.TryGet("enterprise", out var enterprise);
        await Store.SetPlanAsync(user, enterprise);
        Assert.Equal(new QuotaDecision(true, "enterprise", 1000, 0, 60), await Store.ConsumeAsync(user, 1000));
        Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(new QuotaDecision(false, "enterprise", 1000, 0, 1), await Store.ConsumeAsync(user, 1));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new QuotaDecision(true, "enterprise", 1000, 999, 60), await Store.ConsumeAsync(user, 1));
    }

    [Fact]
    public async Task Denied_pulls_do_not_count()
    {
        var user = User();
        await ConsumeTimes(10, user);
        Assert.All(await ConsumeTimes(20, user), d => Assert.False(d.Allowed));
        Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.All(await ConsumeTimes(10, user), d => Assert.True(d.Allowed));
    }

    [Fact]
    public async Task Users_and_tenants_are_counted_apart()
    {
        await ConsumeTimes(10, User("alice"));
        Assert.True((await Store.ConsumeAsync(User("bob"), 1)).Allowed);
        Assert.True((await Store.ConsumeAsync(new UserKey(Ids.NewTenant(), "alice"), 1)).Allowed);
        Assert.False((await Store.ConsumeAsync(User("alice"), 1)).Allowed);
    }

    [Fact]
    public async Task A_user_without_plan_on_record_is_personal()
    {
        Assert.Equal("personal", (await Store.GetPlanAsync(User("nobody"))).Id);
    }

    [Fact]
    public async Task A_stored_plan_is_read_back_and_used_for_decisions()
    {
        var user = User();
        Plans.TryGet("team", out var team);
        await Store.SetPlanAsync(user, team);
        Assert.Equal(team, await Store.GetPlanAsync(user));
        Assert.Equal(new QuotaDecision(true, "team", 100, 99, 60), await Store.ConsumeAsync(user, 1));
        Assert.Equal("personal", (await Store.GetPlanAsync(new UserKey(Ids.NewTenant(), "alice"))).Id);
    }

    [Fact]
    public async Task A_plan_change_keeps_the_units_already_counted()
    {
        var user = User();
        await ConsumeTimes(10, user);
        Plans.TryGet("team", out var team);
        await Store.SetPlanAsync(user, team);
        Assert.Equal(new QuotaDecision(true, "team", 100, 89, 60), await Store.ConsumeAsync(user, 1));

        await Store.SetPlanAsync(user, Plans.Default); // 11 counted, limit 10 again: nothing left, never negative
        Assert.Equal(new QuotaDecision(false, "personal", 10, 0, 60), await Store.ConsumeAsync(user, 1));
    }

    [Theory]
    [InlineData("personal", 10)]
    [InlineData("team", 100)]
    public async Task Fifty_parallel_clients_never_get_more_than_the_limit_through(string planId, int limit)
    {
        var user = User("busy");
        Plans.TryGet(planId, out var plan);
        await Store.SetPlanAsync(user, plan);

        Assert.Equal(limit, await ParallelGrants(user, clients: 50, each: 6));
        var after = await Store.ConsumeAsync(user, 1);
        Assert.False(after.Allowed);
        Assert.Equal(0, after.Remaining);
    }

    [Fact]
    public async Task Fifty_parallel_clients_never_exceed_the_limit_in_any_window_while_time_moves()
    {
        var user = User("sliding");
        var grantsPerRound = new List<(long At, int Grants)>();
        for (var round = 0; round < 12; round++)
        {
            var at = Clock.GetUtcNow().ToUnixTimeMilliseconds();
            grantsPerRound.Add((at, await ParallelGrants(user, clients: 50, each: 2)));
            Clock.Advance(TimeSpan.FromSeconds(7));
        }

        foreach (var (start, _) in grantsPerRound)
        {
            var inWindow = grantsPerRound.Where(r => r.At >= start && r.At < start + 60_000).Sum(r => r.Grants);
            Assert.True(inWindow <= 10, $"{inWindow} grants in the window starting at {start}");
        }
        // Rounds at 0 s and 63 s each find an empty window; every other round finds it full.
        Assert.Equal([10, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0], grantsPerRound.Select(r => r.Grants));
    }

    private async Task<int> ParallelGrants(UserKey user, int clients, int each)
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            var allowed = 0;
            for (var i = 0; i < each; i++)
                if ((await Store.ConsumeAsync(user, 1)).Allowed) allowed++;
            return allowed;
        })).ToArray();
        start.Set();
        return (await Task.WhenAll(tasks)).Sum();
    }
}
