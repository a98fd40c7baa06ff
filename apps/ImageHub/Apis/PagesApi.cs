using ImageHub.Web.Auth;
using ImageHub.Web.Images;
using ImageHub.Web.Options;
using ImageHub.Web.Plans;
using ImageHub.Web.Tenancy;
using ImageHub.Web.Ui.Pages;
using ImageHub.Web.Users;
using Microsoft.Extensions.Options;

namespace ImageHub.Web.Apis;

/// <summary>The server-rendered pages. Forms post back here; success redirects (post/redirect/get),
/// failure re-renders the page with the error and the matching status code.</summary>
public static class PagesApi
{
    public static IEndpointRouteBuilder MapPagesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Home);
        app.MapGet("/signin", SignInForm);
        app.MapPost("/signin", SignIn);
        app.MapGet("/signup", (HttpContext http) => AuthPages.SignUp(http));
        app.MapPost("/signup", SignUp);
        app.MapPost("/signout", SignOut);
        app.MapPost("/images", Upload);
        app.MapGet("/images/{id}", ImageView);
        app.MapPost("/images/{id}/delete", Delete);
        app.MapGet("/plan", PlanView);
        app.MapPost("/plan", ChangePlan);
        return app;
    }

    private static async Task<IResult> Home(HttpContext http, TenantStore tenants, ImageStore images, IOptions<ImageHubOptions> options,
        string? notice, CancellationToken ct)
    {
        var identity = RequestIdentity.Of(http);
        if (identity.Tenant is null) return TenantChooserPage.Render(http, await tenants.ListAsync(ct));
        if (PageUser(http) is not { } user) return SignInRedirect(http);
        var text = notice == "plan-not-synced" ? AccountService.PlanNotSyncedWarning : null;
        return GalleryPage.Render(http, await images.ListAsync(user.Tenant, ct), options.Value.MaxUploadBytes, notice: text);
    }

    private static IResult SignInForm(HttpContext http, IOptions<ImageHubOptions> options, string? returnUrl, string? ended)
    {
        var identity = RequestIdentity.Of(http);
        if (identity.Session == SessionState.Valid) return Results.Redirect(LocalUrl(returnUrl) ?? "/");
        var notice = identity.Session == SessionState.Invalid || ended == "1"
            ? "Your session has ended. Please sign in again."
            : null;
        return AuthPages.SignIn(http, notice: notice, returnUrl: LocalUrl(returnUrl), demoHint: options.Value.SeedDemoData);
    }

    private static async Task<IResult> SignIn(HttpContext http, AccountService accounts, IOptions<ImageHubOptions> options, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var returnUrl = LocalUrl(form["returnUrl"]);
        var result = await accounts.SignInAsync(RequestIdentity.Of(http).Tenant!, form["username"], form["password"], ct);
        if (result.Session is not { } session)
            return AuthPages.SignIn(http, error: result.Error, username: form["username"], returnUrl: returnUrl,
                demoHint: options.Value.SeedDemoData, status: result.Status);
        SessionCookie.Write(http, session.Token, session.Claims.ExpiresAt);
        return Results.Redirect(returnUrl ?? "/", preserveMethod: false);
    }

    private static async Task<IResult> SignUp(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var result = await accounts.SignUpAsync(RequestIdentity.Of(http).Tenant!, form["username"], form["password"], form["plan"], form["displayName"], ct);
        if (result.Session is not { } session)
            return AuthPages.SignUp(http, result.Error, form["username"], form["displayName"], form["plan"], result.Status);
        SessionCookie.Write(http, session.Token, session.Claims.ExpiresAt);
        // The account exists either way; tell the user when the rate limiter did not learn the plan yet.
        return Results.Redirect(result.Warning is null ? "/" : "/?notice=plan-not-synced");
    }

    private static IResult SignOut(HttpContext http)
    {
        SessionCookie.Clear(http);
        return Results.Redirect("/signin");
    }

    private static async Task<IResult> Upload(HttpContext http, UploadReceiver receiver, ImageStore images, CancellationToken ct)
    {
        if (PageUser(http) is not { } user) return SignInRedirect(http);
        var outcome = await receiver.ReceiveAsync(http.Request, user.Tenant, user.Username, ct);
        if (outcome.Image is { } image) return Results.Redirect($"/images/{image.Id}");
        return GalleryPage.Render(http, await images.ListAsync(user.Tenant, ct), receiver.MaxBytes, outcome.Error, outcome.Status);
    }

    private static async Task<IResult> ImageView(string id, HttpContext http, ImageStore images, CancellationToken ct)
    {
        if (PageUser(http) is not { } user) return SignInRedirect(http);
        return await images.FindAsync(user.Tenant, id, ct) is { } image
            ? ImagePage.Render(http, image, user)
            : ErrorPage.Render(http, StatusCodes.Status404NotFound, "No such image", "This tenant has no image with that id.");
    }

    private static async Task<IResult> Delete(string id, HttpContext http, ImageStore images, ImageLibrary library, CancellationToken ct)
    {
        if (PageUser(http) is not { } user) return SignInRedirect(http);
        if (await images.FindAsync(user.Tenant, id, ct) is not { } image)
            return ErrorPage.Render(http, StatusCodes.Status404NotFound, "No such image", "This tenant has no image with that id.");
        if (image.Owner != user.Username)
            return ImagePage.Render(http, image, user, "Only the person who uploaded an image can delete it.", StatusCodes.Status403Forbidden);
        await library.DeleteAsync(image, ct);
        return Results.Redirect("/");
    }

    private static IResult PlanView(HttpContext http, string? changed)
    {
        if (PageUser(http) is not { } user) return SignInRedirect(http);
        var notice = PlanCatalog.Find(changed) is { } plan && plan.Id == user.Plan ? $"You are now on the {plan.Name} plan." : null;
        return PlanPage.Render(http, user, notice: notice);
    }

    private static async Task<IResult> ChangePlan(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        if (PageUser(http) is not { } user) return SignInRedirect(http);
        var form = await http.Request.ReadFormAsync(ct);
        var result = await accounts.ChangePlanAsync(user, form["plan"], ct);
        if (result.Session is not { } session) return PlanPage.Render(http, user, result.Error, status: result.Status);
        SessionCookie.Write(http, session.Token, session.Claims.ExpiresAt);
        return Results.Redirect($"/plan?changed={session.User.Plan}");
    }

    /// <summary>The signed-in user of this tenant, or null (an invalid cookie was already cleared by the middleware).</summary>
    private static User? PageUser(HttpContext http)
    {
        var identity = RequestIdentity.Of(http);
        if (identity.Session == SessionState.WrongTenant && identity.FromCookie) SessionCookie.Clear(http);
        return identity.Session == SessionState.Valid ? identity.User : null;
    }

    private static IResult SignInRedirect(HttpContext http)
    {
        var identity = RequestIdentity.Of(http);
        var query = identity.Session == SessionState.Invalid ? "?ended=1" : "";
        if (HttpMethods.IsGet(http.Request.Method) && http.Request.Path != "/")
            query += (query.Length == 0 ? "?" : "&") + "returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString);
        return Results.Redirect("/signin" + query);
    }

    /// <summary>Only paths on this site: no scheme, no "//host", no backslash tricks.</summary>
    private static string? LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//") && !url.StartsWith("/\\") && !url.Contains('\\') ? url : null;
}
