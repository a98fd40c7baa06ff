using ImageHub.Web.Auth;
using ImageHub.Web.Plans;
using ImageHub.Web.Users;

namespace ImageHub.Web.Apis;

public static class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/plans", () => PlanCatalog.All.Select(PlanDto.From));
        var me = app.MapGroup("/api/me").RequireSession();
        me.MapGet("/", GetMe);
        me.MapPut("/plan", ChangePlan);
        return app;
    }

    private static MeDto GetMe(HttpContext http)
    {
        var user = ApiSession.User(http);
        return new MeDto(TenantDto.From(RequestIdentity.Of(http).Tenant!), UserDto.From(user), PlanDto.For(user.Plan));
    }

    /// <summary>Changes the plan and answers with a new token carrying the new plan claim
    /// (also written to the cookie when the session came from it).</summary>
    private static async Task<IResult> ChangePlan(PlanChangeRequest body, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var result = await accounts.ChangePlanAsync(ApiSession.User(http), body.Plan, ct);
        if (result.Session is not { } session) return ErrorResponses.Problem(result.Status, "Plan not changed", result.Error);
        if (RequestIdentity.Of(http).FromCookie) SessionCookie.Write(http, session.Token, session.Claims.ExpiresAt);
        return Results.Ok(AuthApi.ToDto(session, null));
    }
}
