using ImageHub.Quota.Plans;

namespace ImageHub.Quota.Apis;

/// <summary><c>GET /v1/plans</c>: the configured plans, smallest first.</summary>
public static class PlansApi
{
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/plans", (PlanCatalog plans) =>
            Results.Ok(plans.All.Select(p => new PlanResponse(p.Id, p.Name, p.LimitPerMinute)).ToArray()));
        return routes;
    }
}
