using ImageHub.Quota.Store;

namespace ImageHub.Quota.Apis;

/// <summary>Turns a store outage into a 503 problem+json, so callers (the rate-limit filter) can fail open.</summary>
internal sealed class StoreOutageFilter(ILogger<StoreOutageFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (QuotaStoreUnavailableException ex)
        {
            logger.LogWarning("Quota store unavailable for {Path}: {Reason}", context.HttpContext.Request.Path, ex.Message);
            return ApiProblems.StoreUnavailable(ex.Message);
        }
    }
}
