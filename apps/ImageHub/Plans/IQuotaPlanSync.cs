namespace ImageHub.Web.Plans;

/// <summary>
/// The seam to the quota service: tells it which plan a user is on. Called after sign-up and
/// before a plan change is saved. Implementations throw <see cref="QuotaPlanSyncException"/>
/// when the service did not take the change.
/// </summary>
public interface IQuotaPlanSync
{
    Task SetPlanAsync(string tenant, string username, string plan, CancellationToken ct = default);
}

public sealed class QuotaPlanSyncException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Used when no quota service is configured: plans live only in the app.</summary>
public sealed class NoQuotaPlanSync : IQuotaPlanSync
{
    public Task SetPlanAsync(string tenant, string username, string plan, CancellationToken ct = default) => Task.CompletedTask;
}
