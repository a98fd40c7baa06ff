using ImageHub.Quota.Store;

namespace ImageHub.Quota.Apis;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the store answers too.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        routes.MapGet("/readyz", async (IQuotaStore store, CancellationToken cancellationToken) =>
        {
            try
            {
                await store.CheckReadyAsync(cancellationToken);
                return Results.Ok(new { status = "ready", store = store.Description });
            }
            catch (QuotaStoreUnavailableException ex)
            {
                return ApiProblems.StoreUnavailable(ex.Message);
            }
        });
        return routes;
    }
}
