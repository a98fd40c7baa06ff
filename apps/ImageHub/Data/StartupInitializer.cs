using ImageHub.Web.Options;
using ImageHub.Web.Plans;
using ImageHub.Web.Tenancy;
using ImageHub.Web.Users;
using Microsoft.Extensions.Options;

namespace ImageHub.Web.Data;

/// <summary>Runs before the server takes requests: schema, configured tenants, demo data.
/// Then, in the background, tells the quota service the demo users' plans (it may start after us).</summary>
public sealed class StartupInitializer(
    Database database, TenantStore tenants, UserStore users, IQuotaPlanSync quota, TimeProvider clock,
    IOptions<ImageHubOptions> options, ILogger<StartupInitializer> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();

    public async Task StartAsync(CancellationToken ct)
    {
        await database.CreateSchemaAsync(ct);
        foreach (var tenant in options.Value.Tenants)
            await tenants.UpsertAsync(new Tenant(tenant.Slug, tenant.Name), ct);
        if (options.Value.SeedDemoData)
        {
            await DemoData.SeedAsync(tenants, users, clock, ct);
            logger.LogInformation("Demo data ready: tenants acme and globex, users alice/bob/carol (password {Password})", DemoData.Password);
            if (quota is not NoQuotaPlanSync) _ = Task.Run(() => SyncDemoPlansAsync(_stopping.Token));
        }
    }

    public Task StopAsync(CancellationToken ct)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    private async Task SyncDemoPlansAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; attempt <= 8 && !ct.IsCancellationRequested; attempt++)
        {
            try
            {
                foreach (var tenant in DemoData.Tenants)
                foreach (var (username, _, _) in DemoData.Users)
                {
                    if (await users.FindAsync(tenant.Slug, username, ct) is { } user)
                        await quota.SetPlanAsync(user.Tenant, user.Username, user.Plan, ct);
                }
                logger.LogInformation("Told the quota service the demo users' plans");
                return;
            }
            catch (QuotaPlanSyncException e)
            {
                logger.LogWarning("Demo plans not synced yet (attempt {Attempt}): {Message}", attempt, e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { return; }
            delay *= 2;
        }
    }
}
