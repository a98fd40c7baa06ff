using ImageHub.Quota.Plans;
using ImageHub.Quota.Store;
using Microsoft.Extensions.Options;

namespace ImageHub.Quota.Apis;

/// <summary><c>POST /v1/quota/consume</c>: one quota decision.</summary>
public static class QuotaApi
{
    public static IEndpointRouteBuilder MapQuotaApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/quota/consume", ConsumeAsync).AddEndpointFilter<StoreOutageFilter>();
        return routes;
    }

    private static async Task<IResult> ConsumeAsync(HttpRequest request, IQuotaStore store, IOptions<QuotaOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, QuotaJsonContext.Default.ConsumeRequest, cancellationToken);
        if (problem is not null) return problem;
        if (!UserKey.TryCreate(body!.Tenant, body.User, out var user, out var error)) return ApiProblems.BadRequest(error);

        var cost = body.Cost ?? 1;
        var maxCost = options.Value.MaxCost;
        if (cost < 1 || cost > maxCost)
            return ApiProblems.BadRequest($"'cost' must be a whole number from 1 to {maxCost} (was {cost}).");

        var decision = await store.ConsumeAsync(user, cost, cancellationToken);
        return Results.Ok(new ConsumeResponse(decision.Allowed, decision.Plan, decision.Limit, decision.Remaining, decision.ResetSeconds));
    }
}
