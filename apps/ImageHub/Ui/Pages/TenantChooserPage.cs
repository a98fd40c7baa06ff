using ImageHub.Web.Tenancy;

namespace ImageHub.Web.Ui.Pages;

/// <summary>Shown on a bare host (localhost, 127.0.0.1): the app is per tenant, so point at the tenants.</summary>
public static class TenantChooserPage
{
    public static IResult Render(HttpContext context, IReadOnlyList<Tenant> tenants)
    {
        var port = context.Request.Host.Port is { } p ? ":" + p : "";
        var scheme = context.Request.Scheme;
        var cards = Html.Join(tenants.Select(t => Html.Of($"""
            <a class="card tenant-card" href="{scheme}://{t.Slug}.localhost{port}/" data-testid="tenant-link" data-tenant="{t.Slug}">
              <span class="tenant-initial" aria-hidden="true">{t.Name[..1]}</span>
              <span><strong>{t.Name}</strong><br><span class="muted">{t.Slug}.localhost{port}</span></span>
            </a>
            """)));
        var body = tenants.Count == 0
            ? Html.Of($"""<p class="muted">No tenants yet. Start the app with <code>--ImageHub:SeedDemoData=true</code> or configure <code>ImageHub:Tenants</code>.</p>""")
            : Html.Of($"""<div class="tenant-grid">{cards}</div>""");
        return Layout.Page(context, "Choose a tenant", Html.Of($"""
            <section class="hero">
              <h1>ImageHub</h1>
              <p class="lead">Every organisation has its own ImageHub at its own address. Pick one:</p>
            </section>
            {body}
            """));
    }
}
