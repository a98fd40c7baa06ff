namespace ImageHub.Quota.Tests.Support;

/// <summary>A clock the test moves by hand, so window arithmetic is exact in both stores.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _unixMilliseconds;

    // A whole minute plus a fraction, so no test accidentally relies on round numbers.
    public ManualClock() => _unixMilliseconds = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000) * 60_000 + 123;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _unixMilliseconds));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _unixMilliseconds, (long)by.TotalMilliseconds);

    public void AdvanceMilliseconds(long ms) => Interlocked.Add(ref _unixMilliseconds, ms);
}
