namespace ImageHub.Web.Auth;

/// <summary>The browser's copy of the session token (name and attributes fixed by the README contract).</summary>
public static class SessionCookie
{
    public const string Name = "imagehub_session";

    public static void Write(HttpContext context, string token, DateTimeOffset expires) =>
        context.Response.Cookies.Append(Name, token, Options(context, expires));

    public static void Clear(HttpContext context) =>
        context.Response.Cookies.Delete(Name, Options(context, null));

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Secure = context.Request.IsHttps,
        Expires = expires,
        IsEssential = true,
    };

    /// <summary>The token of this request: <c>Authorization: Bearer</c> wins over the cookie.</summary>
    public static (string? Token, bool FromCookie) Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return (authorization["Bearer ".Length..].Trim(), false);
        return request.Cookies.TryGetValue(Name, out var cookie) ? (cookie, true) : (null, false);
    }
}
