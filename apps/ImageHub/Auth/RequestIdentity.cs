using ImageHub.Web.Tenancy;
using ImageHub.Web.Users;

namespace ImageHub.Web.Auth;

public enum SessionState
{
    /// <summary>No token was sent.</summary>
    None,
    /// <summary>A token was sent but is forged, tampered, expired, malformed or names a user that does not exist.</summary>
    Invalid,
    /// <summary>A valid token, but issued for another tenant than the one this request is for.</summary>
    WrongTenant,
    Valid,
}

/// <summary>Who and where a request is: its tenant and (when signed in) its user. Set once per request
/// by <see cref="IdentityMiddleware"/>.</summary>
public sealed class RequestIdentity
{
    public Tenant? Tenant { get; init; }
    public SessionState Session { get; init; }
    public string? SessionError { get; init; }
    public SessionClaims? Claims { get; init; }
    public User? User { get; init; }
    /// <summary>True when the token came from the cookie (so a new token must go back in the cookie).</summary>
    public bool FromCookie { get; init; }

    public static RequestIdentity Of(HttpContext context) =>
        context.Features.Get<RequestIdentity>() ?? new RequestIdentity();
}
