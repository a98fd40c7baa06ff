using ImageHub.Web.Apis;
using ImageHub.Web.Tenancy;
using ImageHub.Web.Users;

namespace ImageHub.Web.Auth;

/// <summary>
/// Finds the tenant and the session of every request (except health checks and static assets)
/// and stores them as a <see cref="RequestIdentity"/>. It never lets a bad token through and never
/// throws on one: an invalid cookie is cleared so the browser starts over at the sign-in page.
/// Endpoints decide what a missing or invalid session means for them.
/// </summary>
public sealed class IdentityMiddleware(RequestDelegate next, TenantResolver tenants, SessionToken tokens, UserStore users)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (IsTenantFree(context.Request.Path))
        {
            await next(context);
            return;
        }

        var ct = context.RequestAborted;
        var resolution = await tenants.ResolveAsync(context.Request, ct);
        if (resolution.Error is not null)
        {
            await ErrorResponses.WriteAsync(context, resolution.ErrorStatus,
                resolution.ErrorStatus == StatusCodes.Status404NotFound ? "Unknown tenant" : "No tenant", resolution.Error);
            return;
        }
        if (resolution.Tenant is null && context.Request.Path != "/")
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, "No tenant",
                "This address names no tenant. Open the app at {tenant}.localhost, for example http://acme.localhost" +
                (context.Request.Host.Port is { } port ? ":" + port : "") + "/.");
            return;
        }

        var identity = await IdentifyAsync(context, resolution.Tenant, ct);
        if (identity.Session == SessionState.Invalid && identity.FromCookie) SessionCookie.Clear(context);
        context.Features.Set(identity);
        await next(context);
    }

    private async Task<RequestIdentity> IdentifyAsync(HttpContext context, Tenant? tenant, CancellationToken ct)
    {
        var (token, fromCookie) = SessionCookie.Read(context.Request);
        var check = tokens.Validate(token);
        if (token is null || check == TokenCheck.Missing)
            return new RequestIdentity { Tenant = tenant, Session = SessionState.None };
        if (check.Claims is not { } claims)
            return new RequestIdentity { Tenant = tenant, Session = SessionState.Invalid, SessionError = check.Error, FromCookie = fromCookie };
        if (tenant is null || claims.Tenant != tenant.Slug)
            return new RequestIdentity
            {
                Tenant = tenant, Session = SessionState.WrongTenant, Claims = claims, FromCookie = fromCookie,
                SessionError = $"The session token is for tenant '{claims.Tenant}', not '{tenant?.Slug}'.",
            };
        var user = await users.FindAsync(tenant.Slug, claims.Subject, ct);
        if (user is null)
            return new RequestIdentity
            {
                Tenant = tenant, Session = SessionState.Invalid, FromCookie = fromCookie,
                SessionError = "The account named in the session token does not exist.",
            };
        return new RequestIdentity { Tenant = tenant, Session = SessionState.Valid, Claims = claims, User = user, FromCookie = fromCookie };
    }

    private static bool IsTenantFree(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/assets");
}
