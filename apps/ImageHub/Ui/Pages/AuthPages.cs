using ImageHub.Web.Auth;
using ImageHub.Web.Plans;

namespace ImageHub.Web.Ui.Pages;

public static class AuthPages
{
    public const string DemoPassword = "imagehub-demo";

    public static IResult SignIn(HttpContext context, string? error = null, string? notice = null, string? username = null,
        string? returnUrl = null, bool demoHint = false, int status = StatusCodes.Status200OK)
    {
        var hint = Html.When(demoHint, Html.Of($"""
            <div class="demo-hint" data-testid="demo-hint">
              <strong>Demo accounts</strong> — password <code>{DemoPassword}</code>
              <ul><li><code>alice</code> Personal</li><li><code>bob</code> Team</li><li><code>carol</code> Enterprise</li></ul>
            </div>
            """));
        return Layout.Page(context, "Sign in", Html.Of($"""
            <section class="card narrow auth-card">
              <h1>Sign in</h1>
              <p class="muted">to {RequestIdentity.Of(context).Tenant?.Name}'s ImageHub</p>
              {Layout.Alert(notice, "info", "form-notice")}
              {Layout.Alert(error)}
              <form method="post" action="/signin" class="stack" id="signin-form" data-testid="signin-form">
                <input type="hidden" name="returnUrl" value="{returnUrl ?? ""}">
                <label>Username <input name="username" id="username" autocomplete="username" required value="{username ?? ""}" autofocus></label>
                <label>Password <input name="password" id="password" type="password" autocomplete="current-password" required></label>
                <button type="submit" class="button button-primary" id="signin-submit" data-testid="signin-submit">Sign in</button>
              </form>
              <p class="muted small">New here? <a href="/signup">Create an account</a>.</p>
              {hint}
            </section>
            """), status);
    }

    public static IResult SignUp(HttpContext context, string? error = null, string? username = null, string? displayName = null,
        string? plan = null, int status = StatusCodes.Status200OK)
    {
        var selected = PlanCatalog.Find(plan) ?? PlanCatalog.Default;
        var choices = Html.Join(PlanCatalog.All.Select(p => Html.Of($"""
            <label class="plan-choice plan-{p.Id}">
              <input type="radio" name="plan" value="{p.Id}" {Html.When(p == selected, new Html("checked"))} data-testid="plan-choice-{p.Id}">
              <span class="plan-choice-body"><strong>{p.Name}</strong><span class="muted">{p.LimitPerMinute} pulls/min</span></span>
            </label>
            """)));
        return Layout.Page(context, "Sign up", Html.Of($"""
            <section class="card narrow auth-card">
              <h1>Create your account</h1>
              <p class="muted">at {RequestIdentity.Of(context).Tenant?.Name}</p>
              {Layout.Alert(error)}
              <form method="post" action="/signup" class="stack" id="signup-form" data-testid="signup-form">
                <label>Username <input name="username" id="username" autocomplete="username" required minlength="3" maxlength="32" value="{username ?? ""}" autofocus>
                  <span class="hint">{AccountRules.UsernameRule}</span></label>
                <label>Display name <input name="displayName" id="display-name" maxlength="64" value="{displayName ?? ""}" placeholder="optional"></label>
                <label>Password <input name="password" id="password" type="password" autocomplete="new-password" required minlength="{AccountRules.MinPasswordLength}">
                  <span class="hint">at least {AccountRules.MinPasswordLength} characters</span></label>
                <fieldset class="plan-choices"><legend>Plan</legend>{choices}</fieldset>
                <button type="submit" class="button button-primary" id="signup-submit" data-testid="signup-submit">Create account</button>
              </form>
              <p class="muted small">Already have an account? <a href="/signin">Sign in</a>.</p>
            </section>
            """), status);
    }
}
