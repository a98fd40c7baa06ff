using System.Collections.Concurrent;
using ImageHub.Quota.Plans;

namespace ImageHub.Quota.Store;

/// <summary>
/// The embedded store used when no Redis is configured: one process, nothing survives a restart.
/// Windows of idle users are swept at most once per window length, so idle users cost nothing.
/// </summary>
public sealed class InMemoryQuotaStore(PlanCatalog plans, TimeProvider clock) : IQuotaStore
{
    private readonly ConcurrentDictionary<UserKey, InMemoryUserWindow> _windows = new();
    private readonly ConcurrentDictionary<UserKey, string> _planIds = new();
    private long _lastSweep = clock.GetUtcNow().ToUnixTimeMilliseconds();
    private int _sweeping;

    public string Description => "in-memory (counts and plans are lost when the service stops)";

    public int TrackedWindowCount => _windows.Count;

    public Task<QuotaDecision> ConsumeAsync(UserKey user, int cost, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var plan = plans.Resolve(_planIds.GetValueOrDefault(user));
        SweepIfDue(now);
        while (true)
        {
            var window = _windows.GetOrAdd(user, static _ => new InMemoryUserWindow());
            lock (window)
            {
                if (window.Retired) continue;
                return Task.FromResult(window.Consume(now, cost, plan.Id, plan.LimitPerMinute));
            }
        }
    }

    public Task<Plan> GetPlanAsync(UserKey user, CancellationToken cancellationToken = default) =>
        Task.FromResult(plans.Resolve(_planIds.GetValueOrDefault(user)));

    public Task SetPlanAsync(UserKey user, Plan plan, CancellationToken cancellationToken = default)
    {
        _planIds[user] = plan.Id;
        return Task.CompletedTask;
    }

    public Task CheckReadyAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Drops every window with nothing left in it. Runs on the request path, at most once per window.</summary>
    public void Sweep(long now)
    {
        foreach (var (key, window) in _windows)
        {
            lock (window)
            {
                if (window.TryRetire(now)) _windows.TryRemove(new KeyValuePair<UserKey, InMemoryUserWindow>(key, window));
            }
        }
    }

    private void SweepIfDue(long now)
    {
        if (now - Interlocked.Read(ref _lastSweep) < SlidingWindow.WindowMilliseconds) return;
        if (Interlocked.Exchange(ref _sweeping, 1) == 1) return;
        try
        {
            Interlocked.Exchange(ref _lastSweep, now);
            Sweep(now);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
