using ImageHub.Web.Auth;
using ImageHub.Web.Plans;

namespace ImageHub.Web.Ui;

/// <summary>The page shell: head, top bar (tenant, user, plan), main, footer.</summary>
public static class Layout
{
    public static IResult Page(HttpContext context, string title, Html body, int status = StatusCodes.Status200OK)
    {
        var identity = RequestIdentity.Of(context);
        var html = Html.Of($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · ImageHub</title>
            <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/app.css">
            <script src="/assets/app.js" defer></script>
            </head>
            <body>
            <header class="topbar">
              <div class="topbar-inner">
                <a class="brand" href="/" data-testid="brand"><img src="/assets/favicon.svg" alt="" width="28" height="28"><span>ImageHub</span></a>
                {TenantBadge(identity)}
                <nav class="nav">{Navigation(identity)}</nav>
              </div>
            </header>
            <main class="container" id="main">
            {body}
            </main>
            <footer class="footer">
              <span>ImageHub — a multi-tenant image host protected by Proxy-Wasm filters.</span>
            </footer>
            </body>
            </html>
            """);
        return Results.Content(html.Value, "text/html; charset=utf-8", statusCode: status);
    }

    private static Html TenantBadge(RequestIdentity identity) => identity.Tenant is { } tenant
        ? Html.Of($"""<span class="tenant" id="tenant-name" data-testid="tenant-name" data-tenant="{tenant.Slug}" title="Tenant {tenant.Slug}">{tenant.Name}</span>""")
        : Html.Empty;

    private static Html Navigation(RequestIdentity identity)
    {
        if (identity.Tenant is null) return Html.Empty;
        if (identity.User is not { } user)
            return Html.Of($"""
                <a href="/signin" data-testid="nav-signin">Sign in</a>
                <a class="button button-small" href="/signup" data-testid="nav-signup">Sign up</a>
                """);
        var plan = PlanCatalog.Find(user.Plan) ?? PlanCatalog.Default;
        return Html.Of($"""
            <a href="/" data-testid="nav-gallery">Gallery</a>
            <a href="/plan" data-testid="nav-plan">Plan</a>
            <span class="user" title="Signed in as {user.Username}">
              <span class="avatar" aria-hidden="true">{Initial(user.DisplayName)}</span>
              <span id="user-name" data-testid="user-name" data-username="{user.Username}">{user.DisplayName}</span>
              <a href="/plan" class="plan-badge plan-{plan.Id}" id="plan-name" data-testid="plan-name" data-plan="{plan.Id}">{plan.Name}</a>
            </span>
            <form method="post" action="/signout" class="inline-form">
              <button type="submit" class="link-button" id="signout" data-testid="signout">Sign out</button>
            </form>
            """);
    }

    private static string Initial(string name) => name.Length == 0 ? "?" : char.ToUpperInvariant(name[0]).ToString();

    public static Html Alert(string? message, string kind = "error", string id = "form-error") =>
        string.IsNullOrEmpty(message)
            ? Html.Empty
            : Html.Of($"""<div class="alert alert-{kind}" id="{id}" data-testid="{id}" role="alert">{message}</div>""");
}
