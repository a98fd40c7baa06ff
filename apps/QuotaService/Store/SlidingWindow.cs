namespace ImageHub.Quota.Store;

/// <summary>
/// The limiter's rules, shared by both stores (the Redis store runs the same rules in Lua).
/// A sliding-window log: every granted request is an entry (time, cost). An entry counts while
/// <c>now - time &lt; Window</c>. A request is granted when the counted units plus its cost do not
/// exceed the plan's limit, so no 60-second interval ever holds more than the limit.
/// </summary>
public static class SlidingWindow
{
    public const long WindowMilliseconds = 60_000;

    /// <summary>Milliseconds to whole seconds for the headers: rounded up, at least 1.</summary>
    public static int ToResetSeconds(long milliseconds) => (int)Math.Max(1, (milliseconds + 999) / 1000);
}
