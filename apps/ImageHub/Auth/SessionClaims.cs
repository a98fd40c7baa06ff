namespace ImageHub.Web.Auth;

/// <summary>The claims of a session token (see "Session token" in the repository README).</summary>
public sealed record SessionClaims(
    string Subject,
    string Name,
    string Tenant,
    string Plan,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt);
