using ImageHub.Web.Auth;
using ImageHub.Web.Plans;
using ImageHub.Web.Tenancy;
using ImageHub.Web.Users;

namespace ImageHub.Web.Data;

/// <summary>
/// The demo's tenants and users: in each of acme (Acme Corp) and globex (Globex) one user per plan —
/// alice (Personal), bob (Team), carol (Enterprise) — all with the password <c>imagehub-demo</c>.
/// It is a demo: the password is public. Only what is missing is created, so a plan a demo user
/// changed survives restarts.
/// </summary>
public static class DemoData
{
    public const string Password = Ui.Pages.AuthPages.DemoPassword;

    public static readonly Tenant[] Tenants = [new("acme", "Acme Corp"), new("globex", "Globex")];

    public static readonly (string Username, string DisplayName, Plan Plan)[] Users =
    [
        ("alice", "Alice", PlanCatalog.Personal),
        ("bob", "Bob", PlanCatalog.Team),
        ("carol", "Carol", PlanCatalog.Enterprise),
    ];

    public static async Task SeedAsync(TenantStore tenants, UserStore users, TimeProvider clock, CancellationToken ct)
    {
        foreach (var tenant in Tenants)
        {
            if (await tenants.FindAsync(tenant.Slug, ct) is null) await tenants.UpsertAsync(tenant, ct);
            foreach (var (username, displayName, plan) in Users)
            {
                if (await users.FindAsync(tenant.Slug, username, ct) is not null) continue;
                await users.TryCreateAsync(new User(tenant.Slug, username, displayName, PasswordHasher.Hash(Password), plan.Id, clock.GetUtcNow()), ct);
            }
        }
    }
}
