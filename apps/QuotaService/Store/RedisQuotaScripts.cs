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
    // KEYS[1] the tenant's plans (hash user -> plan id)
    // KEYS[2] the user's log (sorted set: score = time in ms, member = "seq:cost")
    // KEYS[3] the user's counters (hash: used = units in the log, seq = last member number)
    // ARGV[1] user  ARGV[2] now (ms)  ARGV[3] window (ms)  ARGV[4] cost
    // ARGV[5] default plan id  ARGV[6] its limit  ARGV[7..] plan id, limit, plan id, limit, ...
    // Returns {allowed (0/1), plan id, limit, remaining, reset in ms}.
    public static readonly RedisScript Consume = new("""
        local user, now, window, cost = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local plan, limit = redis.call('HGET', KEYS[1], user), nil
        if plan then
          for i = 7, #ARGV, 2 do
            if ARGV[i] == plan then limit = tonumber(ARGV[i + 1]) break end
          end
        end
        if not limit then plan, limit = ARGV[5], tonumber(ARGV[6]) end

        local function cost_of(member) return tonumber(string.match(member, ':(%d+)$')) end

        local used = tonumber(redis.call('HGET', KEYS[3], 'used') or '0')
        local cutoff = now - window
        local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff)
        for i = 1, #expired do used = used - cost_of(expired[i]) end
        if #expired > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cutoff)
          if redis.call('ZCARD', KEYS[2]) == 0 then used = 0 end
        end

        local allowed = 0
        if cost <= limit and used + cost <= limit then
          local seq = redis.call('HINCRBY', KEYS[3], 'seq', 1)
          redis.call('ZADD', KEYS[2], ARGV[2], seq .. ':' .. cost)
          used = used + cost
          allowed = 1
        end
        if allowed == 1 or #expired > 0 then
          redis.call('HSET', KEYS[3], 'used', used)
          -- Every entry is gone one window after the newest, and so are the keys.
          redis.call('PEXPIRE', KEYS[2], window)
          redis.call('PEXPIRE', KEYS[3], window)
        end

        local reset = window
        if allowed == 1 then
          local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
          reset = tonumber(oldest[2]) + window - now
        elseif cost <= limit then
          -- Walk the log oldest first until enough units will have left for this cost.
          local must_free, freed, from, found = used + cost - limit, 0, 0, false
          while not found do
            local batch = redis.call('ZRANGE', KEYS[2], from, from + 15, 'WITHSCORES')
            if #batch == 0 then break end
            for i = 1, #batch, 2 do
              freed = freed + cost_of(batch[i])
              if freed >= must_free then
                reset, found = tonumber(batch[i + 1]) + window - now, true
                break
              end
            end
            from = from + 16
          end
        end

        local remaining = limit - used
        if remaining < 0 then remaining = 0 end
        return {allowed, plan, limit, remaining, reset}
        """);
}
