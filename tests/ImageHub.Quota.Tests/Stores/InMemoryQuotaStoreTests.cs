using ImageHub.Quota.Store;

namespace ImageHub.Quota.Tests.Stores;

public sealed class InMemoryQuotaStoreTests : QuotaStoreContract
{
    private readonly InMemoryQuotaStore _store;

    public InMemoryQuotaStoreTests() => _store = new InMemoryQuotaStore(Plans, Clock);

    protected override IQuotaStore Store => _store;

    [Fact]
    public async Task Idle_users_are_swept_after_their_window_is_over()
    {
        for (var i = 0; i < 100; i++) await _store.ConsumeAsync(new UserKey(Tenant, $"user{i}"), 1);
        Assert.Equal(100, _store.TrackedWindowCount);

        Clock.Advance(TimeSpan.FromSeconds(61));
        await _store.ConsumeAsync(new UserKey(Tenant, "late"), 1); // the request path sweeps

        Assert.Equal(1, _store.TrackedWindowCount);
    }
}
