namespace ImageHub.Quota.Store;

/// <summary>
/// One user's sliding-window log in process memory. Callers lock the instance; a window the
/// sweeper has <see cref="Retired"/> must not be used again (the caller fetches a fresh one), so
/// no grant is ever recorded in a window that has already left the dictionary.
/// </summary>
internal sealed class InMemoryUserWindow
{
    private readonly Queue<(long At, int Cost)> _entries = new();
    private long _used;

    public bool Retired { get; private set; }

    public QuotaDecision Consume(long now, int cost, string planId, int limit)
    {
        Expire(now);
        var allowed = cost <= limit && _used + cost <= limit;
        if (allowed)
        {
            _entries.Enqueue((now, cost));
            _used += cost;
        }
        var remaining = (int)Math.Max(0, limit - _used);
        return new QuotaDecision(allowed, planId, limit, remaining, SlidingWindow.ToResetSeconds(ResetMilliseconds(now, allowed, cost, limit)));
    }

    /// <summary>Marks the window retired when nothing in it counts any more; true if it did.</summary>
    public bool TryRetire(long now)
    {
        Expire(now);
        if (_entries.Count > 0) return false;
        Retired = true;
        return true;
    }

    private void Expire(long now)
    {
        while (_entries.TryPeek(out var oldest) && oldest.At <= now - SlidingWindow.WindowMilliseconds)
        {
            _entries.Dequeue();
            _used -= oldest.Cost;
        }
    }

    private long ResetMilliseconds(long now, bool allowed, int cost, int limit)
    {
        if (allowed) return _entries.Peek().At + SlidingWindow.WindowMilliseconds - now;
        if (cost > limit) return SlidingWindow.WindowMilliseconds;

        // Denied: walk the log oldest first until enough units have left the window.
        var mustFree = _used + cost - limit;
        long freed = 0;
        foreach (var (at, entryCost) in _entries)
        {
            freed += entryCost;
            if (freed >= mustFree) return at + SlidingWindow.WindowMilliseconds - now;
        }
        return SlidingWindow.WindowMilliseconds; // unreachable while _used matches the log
    }
}
