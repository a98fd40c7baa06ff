using ImageHub.Quota.Plans;

namespace ImageHub.Quota.Store;

/// <summary>
/// Where plans and sliding-window counts live. Every implementation must pass the shared
/// store test suite, so that the in-memory and the Redis store mean the same thing.
/// Implementations throw <see cref="QuotaStoreUnavailableException"/> when they cannot answer.
/// </summary>
public interface IQuotaStore
{
    /// <summary>A short description for the start-up log ("in-memory", "redis 127.0.0.1:6379 db 0").</summary>
    string Description { get; }

    /// <summary>Counts <paramref name="cost"/> units against the user's plan if they fit in the window.</summary>
    Task<QuotaDecision> ConsumeAsync(UserKey user, int cost, CancellationToken cancellationToken = default);

    /// <summary>The user's plan; the default plan when none is on record.</summary>
    Task<Plan> GetPlanAsync(UserKey user, CancellationToken cancellationToken = default);

    Task SetPlanAsync(UserKey user, Plan plan, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="QuotaStoreUnavailableException"/> unless the store can answer now.</summary>
    Task CheckReadyAsync(CancellationToken cancellationToken = default);
}
