using ImageHub.Web.Auth;

namespace ImageHub.Web.Apis;

/// <summary>API endpoints behind this filter need a valid session for the request's tenant:
/// none or a bad token → 401, a token of another tenant → 403.</summary>
public static class ApiSession
{
    public static TBuilder RequireSession<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var identity = RequestIdentity.Of(http);
            switch (identity.Session)
            {
                case SessionState.Valid:
                    return await next(context);
                case SessionState.WrongTenant:
                    return ErrorResponses.Problem(StatusCodes.Status403Forbidden, "Wrong tenant", identity.SessionError);
                case SessionState.Invalid:
                    http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                    return ErrorResponses.Problem(StatusCodes.Status401Unauthorized, "Invalid session", identity.SessionError);
                default:
                    http.Response.Headers.WWWAuthenticate = "Bearer";
                    return ErrorResponses.Problem(StatusCodes.Status401Unauthorized, "Sign in first",
                        "Send the session token as 'Authorization: Bearer <token>' (POST /api/auth/signin returns one).");
            }
        });

    /// <summary>The signed-in user; only call behind <see cref="RequireSession{TBuilder}"/>.</summary>
    public static Users.User User(HttpContext context) =>
        RequestIdentity.Of(context).User ?? throw new InvalidOperationException("No session: the endpoint lacks RequireSession().");
}
