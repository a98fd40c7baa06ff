using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Tests.Unit;

public class ManualClockTests
{
    [Fact]
    public void Periodic_timers_fire_once_per_period_passed()
    {
        var clock = new ManualClock();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromMilliseconds(3500));
        Assert.Equal(3, fired);
    }

    [Fact]
    public void Time_moves_only_when_advanced_and_disposed_timers_stay_quiet()
    {
        var clock = new ManualClock();
        var start = clock.GetUtcNow();
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, fired);
        Assert.Equal(start.AddSeconds(2), clock.GetUtcNow());
    }

    [Fact]
    public void A_cancellation_source_with_a_timeout_follows_the_manual_clock()
    {
        var clock = new ManualClock();
        using var source = new CancellationTokenSource(TimeSpan.FromSeconds(5), clock);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(source.IsCancellationRequested);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(source.IsCancellationRequested);
    }
}
