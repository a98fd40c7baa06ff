using ImageHub.Web.Auth;
using ImageHub.Web.Users;

namespace ImageHub.Web.Apis;

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth");
        api.MapPost("/signup", SignUp);
        api.MapPost("/signin", SignIn);
        api.MapPost("/signout", SignOut);
        return app;
    }

    private static async Task<IResult> SignUp(SignUpRequest body, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var result = await accounts.SignUpAsync(RequestIdentity.Of(http).Tenant!, body.Username, body.Password, body.Plan, body.DisplayName, ct);
        return result.Session is { } session
            ? Results.Created("/api/me", ToDto(session, result.Warning))
            : ErrorResponses.Problem(result.Status, "Sign-up refused", result.Error);
    }

    private static async Task<IResult> SignIn(SignInRequest body, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var result = await accounts.SignInAsync(RequestIdentity.Of(http).Tenant!, body.Username, body.Password, ct);
        return result.Session is { } session
            ? Results.Ok(ToDto(session, null))
            : ErrorResponses.Problem(result.Status, "Sign-in failed", result.Error);
    }

    /// <summary>Tokens are stateless, so signing out means forgetting the cookie; a copied token
    /// stays valid until it expires (see the app README).</summary>
    private static IResult SignOut(HttpContext http)
    {
        SessionCookie.Clear(http);
        return Results.NoContent();
    }

    public static SessionDto ToDto(IssuedSession session, string? warning) =>
        new(session.Token, session.Claims.ExpiresAt, UserDto.From(session.User), PlanDto.For(session.User.Plan), warning);
}
