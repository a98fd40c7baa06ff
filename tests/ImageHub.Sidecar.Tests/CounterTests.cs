using ImageHub.Sidecar.Stats;

namespace ImageHub.Sidecar.Tests;

/// <summary>Counters keep a cell per core; what they report must still be the exact total.</summary>
public class CounterTests
{
    [Fact]
    public async Task Increments_from_many_threads_add_up_exactly()
    {
        var counter = new Counter();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++) counter.Increment();
        })));
        Assert.Equal(800_000, counter.Value);
    }

    [Fact]
    public void Increments_by_any_amount_and_from_a_store_by_name_are_one_counter()
    {
        var stats = new StatsStore();
        stats.Counter("rq").Increment(5);
        stats.Counter("rq").Increment();
        stats.Counter("rq").Increment(-2);
        Assert.Equal(4, stats.Counter("rq").Value);
        Assert.Equal(0, stats.Counter("other").Value);
    }
}
