using ImageHub.Quota.Apis;
using ImageHub.Quota.Plans;
using ImageHub.Quota.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ImageHub.Quota;

/// <summary>The service's composition: options, plans, the store, the endpoints.</summary>
public static class QuotaServiceExtensions
{
    public static WebApplicationBuilder AddQuotaService(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails();
        services.Configure<QuotaOptions>(builder.Configuration.GetSection(QuotaOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new PlanCatalog(sp.GetRequiredService<IOptions<QuotaOptions>>().Value));
        services.AddSingleton<IQuotaStore>(CreateStore);
        return builder;
    }

    public static WebApplication UseQuotaService(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Resolve now: a bad plan configuration or connection string stops the start, not the first request.
        var store = app.Services.GetRequiredService<IQuotaStore>();
        app.Logger.LogInformation("Quota store: {Store}", store.Description);

        app.MapHealthApi();
        app.MapPlansApi();
        app.MapUsersApi();
        app.MapQuotaApi();
        return app;
    }

    private static IQuotaStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<QuotaOptions>>().Value;
        var plans = services.GetRequiredService<PlanCatalog>();
        var clock = services.GetRequiredService<TimeProvider>();
        return new InMemoryQuotaStore(plans, clock);
    }
}
