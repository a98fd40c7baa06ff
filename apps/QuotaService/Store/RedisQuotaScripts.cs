using ImageHub.Quota.Redis;

namespace ImageHub.Quota.Store;

/// <summary>
/// The Lua script behind every decision. Redis runs a script atomically, so reading the plan,
/// expiring old entries, deciding and recording happen as one step however many service
/// replicas ask at once. The rules are those of <see cref="SlidingWindow"/> and
/// <see cref="InMemoryUserWindow"/>; the shared store test suite holds both to them.
/// </summary>
internal static class RedisQuotaScripts
{
    // The log holds one member per granted unit (a request of cost 3 adds three), so the units
    // in the window are simply ZCARD and the k-th unit to leave is ZRANGE k-1: a decision is a
    // handful of O(log n) calls on one key, which keeps Redis, the shared bottleneck, cheap.
    //
    // KEYS[1] the tenant's plans (hash user -> plan id)
    // KEYS[2] the user's log (sorted set: score = grant time in ms, member = "<token>:<i>")
    // ARGV[1] user  ARGV[2] now (ms)  ARGV[3] window (ms)  ARGV[4] cost
    // ARGV[5] token unique to this decision (service instance id + counter)
    // ARGV[6] default plan id  ARGV[7] its limit  ARGV[8..] plan id, limit, plan id, limit, ...
    // Returns {allowed (0/1), plan id, limit, remaining, reset in ms}.
    public static readonly RedisScript Consume = new("""
        local user, now, window, cost = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local plan, limit = redis.call('HGET', KEYS[1], user), nil
        if plan then
          for i = 8, #ARGV, 2 do
            if ARGV[i] == plan then limit = tonumber(ARGV[i + 1]) break end
          end
        end
        if not limit then plan, limit = ARGV[6], tonumber(ARGV[7]) end

        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
        local used = redis.call('ZCARD', KEYS[2])

        local allowed, reset = 0, window
        if cost <= limit and used + cost <= limit then
          -- In chunks: unpack() of a very large table would overflow Lua's stack.
          local add = {}
          for i = 1, cost do
            add[#add + 1] = ARGV[2]
            add[#add + 1] = ARGV[5] .. ':' .. i
            if #add >= 1000 or i == cost then
              redis.call('ZADD', KEYS[2], unpack(add))
              add = {}
            end
          end
          -- Every unit is gone one window after the newest grant, and so is the key.
          redis.call('PEXPIRE', KEYS[2], window)
          used = used + cost
          allowed = 1
          reset = tonumber(redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2]) + window - now
        elseif cost <= limit then
          -- Denied: wait until enough of the oldest units have left for this cost to fit.
          local must_leave = used + cost - limit
          reset = tonumber(redis.call('ZRANGE', KEYS[2], must_leave - 1, must_leave - 1, 'WITHSCORES')[2]) + window - now
        end

        local remaining = limit - used
        if remaining < 0 then remaining = 0 end
        return {allowed, plan, limit, remaining, reset}
        """);
}
