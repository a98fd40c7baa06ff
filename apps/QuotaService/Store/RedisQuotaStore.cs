using System.Globalization;
using ImageHub.Quota.Plans;
using ImageHub.Quota.Redis;

namespace ImageHub.Quota.Store;

/// <summary>
/// Plans and sliding-window logs in Redis: every decision is one <c>EVALSHA</c> round trip.
/// Time comes from this service's clock (passed to the script), so service replicas should
/// run NTP; a few milliseconds of skew do not matter against a 60-second window.
/// </summary>
public sealed class RedisQuotaStore : IQuotaStore
{
    private readonly IRedisClient _redis;
    private readonly PlanCatalog _plans;
    private readonly TimeProvider _clock;
    private readonly string[] _planArguments;

    // Makes log members unique across decisions and service instances without asking Redis.
    private readonly string _instanceId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
    private long _decisions;

    public RedisQuotaStore(IRedisClient redis, string endpoint, PlanCatalog plans, TimeProvider clock)
    {
        _redis = redis;
        _plans = plans;
        _clock = clock;
        Description = $"redis {endpoint}";
        _planArguments = [plans.Default.Id, Number(plans.Default.LimitPerMinute),
            .. plans.All.SelectMany(p => new[] { p.Id, Number(p.LimitPerMinute) })];
    }

    public string Description { get; }

    public async Task<QuotaDecision> ConsumeAsync(UserKey user, int cost, CancellationToken cancellationToken = default)
    {
        string[] arguments = [user.User, Number(_clock.GetUtcNow().ToUnixTimeMilliseconds()),
            Number(SlidingWindow.WindowMilliseconds), Number(cost),
            _instanceId + "." + Number(Interlocked.Increment(ref _decisions)), .. _planArguments];
        string[] keys = [RedisQuotaKeys.Plans(user.Tenant), RedisQuotaKeys.Log(user)];

        var reply = await Guard(() => RedisQuotaScripts.Consume.EvaluateAsync(_redis, keys, arguments, cancellationToken));
        var items = reply.Items ?? throw new QuotaStoreUnavailableException($"The quota script returned {reply}, not an array.");
        return new QuotaDecision(
            Allowed: items[0].Integer == 1,
            Plan: items[1].AsString()!,
            Limit: (int)items[2].Integer,
            Remaining: (int)items[3].Integer,
            ResetSeconds: SlidingWindow.ToResetSeconds(items[4].Integer));
    }

    public async Task<Plan> GetPlanAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var reply = await Guard(() => _redis.ExecuteAsync(["HGET", RedisQuotaKeys.Plans(user.Tenant), user.User], cancellationToken));
        return _plans.Resolve(reply.AsString());
    }

    public Task SetPlanAsync(UserKey user, Plan plan, CancellationToken cancellationToken = default) =>
        Guard(() => _redis.ExecuteAsync(["HSET", RedisQuotaKeys.Plans(user.Tenant), user.User, plan.Id], cancellationToken));

    public async Task CheckReadyAsync(CancellationToken cancellationToken = default)
    {
        var reply = await Guard(() => _redis.ExecuteAsync(["PING"], cancellationToken));
        if (reply.AsString() != "PONG") throw new QuotaStoreUnavailableException($"Redis answered PING with {reply}.");
    }

    /// <summary>Every Redis failure (down, timed out, LOADING, OOM, a script error) means: cannot answer now.</summary>
    private static async Task<RedisReply> Guard(Func<Task<RedisReply>> call)
    {
        try
        {
            return await call();
        }
        catch (RedisException ex)
        {
            throw new QuotaStoreUnavailableException(ex.Message, ex);
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
