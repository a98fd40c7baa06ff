using ImageHub.Web.Apis;

namespace ImageHub.Web.Auth;

/// <summary>
/// CSRF defence, kept simple. The session cookie is SameSite=Lax, so other sites cannot make a
/// browser send it with a POST. But acme.localhost and globex.localhost are the same *site*, so
/// SameSite alone would let one tenant's page post to another's; hence every state-changing request
/// that carries an <c>Origin</c> header must come from this very origin (scheme-less host:port).
/// Browsers always send Origin on cross-origin POST/PUT/DELETE; clients without one (curl, API
/// clients with a Bearer token) are not a CSRF vector.
/// </summary>
public sealed class CrossOriginGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return next(context);

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return next(context);

        if (Uri.TryCreate(origin, UriKind.Absolute, out var originUri) &&
            string.Equals(originUri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
            return next(context);

        return ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, "Cross-origin request refused",
            $"A request from {origin} may not change anything on {request.Host}.");
    }
}
