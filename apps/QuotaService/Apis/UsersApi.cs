using ImageHub.Quota.Plans;
using ImageHub.Quota.Store;

namespace ImageHub.Quota.Apis;

/// <summary><c>PUT /v1/users/{tenant}/{user}/plan</c> and <c>GET /v1/users/{tenant}/{user}</c>.</summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var users = routes.MapGroup("/v1/users").AddEndpointFilter<StoreOutageFilter>();
        users.MapPut("/{tenant}/{user}/plan", SetPlanAsync);
        users.MapGet("/{tenant}/{user}", GetUserAsync);
        return routes;
    }

    private static async Task<IResult> SetPlanAsync(string tenant, string user, HttpRequest request, IQuotaStore store, PlanCatalog plans, CancellationToken cancellationToken)
    {
        if (!UserKey.TryCreate(tenant, user, out var key, out var error)) return ApiProblems.BadRequest(error);
        var (body, problem) = await JsonBody.ReadAsync(request, QuotaJsonContext.Default.SetPlanRequest, cancellationToken);
        if (problem is not null) return problem;
        if (string.IsNullOrEmpty(body!.Plan)) return ApiProblems.BadRequest("'plan' is required.");
        if (!plans.TryGet(body.Plan, out var plan))
            return ApiProblems.BadRequest($"Unknown plan '{body.Plan}'; known plans: {string.Join(", ", plans.All.Select(p => p.Id))}.");

        await store.SetPlanAsync(key, plan, cancellationToken);
        return Results.Ok(new UserPlanResponse(key.Tenant, key.User, plan.Id, plan.LimitPerMinute));
    }

    private static async Task<IResult> GetUserAsync(string tenant, string user, IQuotaStore store, CancellationToken cancellationToken)
    {
        if (!UserKey.TryCreate(tenant, user, out var key, out var error)) return ApiProblems.BadRequest(error);
        var plan = await store.GetPlanAsync(key, cancellationToken);
        return Results.Ok(new UserPlanResponse(key.Tenant, key.User, plan.Id, plan.LimitPerMinute));
    }
}
