using ImageHub.Quota.Apis;
using ImageHub.Quota.Plans;
using ImageHub.Quota.Redis;
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
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, QuotaJsonContext.Default));
        services.AddOptions<QuotaOptions>()
            .Bind(builder.Configuration.GetSection(QuotaOptions.SectionName))
            .Validate(o => o.MaxCost >= 1, "Quota:MaxCost must be at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new PlanCatalog(sp.GetRequiredService<IOptions<QuotaOptions>>().Value));
        services.AddSingleton<IQuotaStore>(CreateStore);
        // Only resolved (and so only connected) when Quota:Redis is set; disposed with the host.
        services.AddSingleton(sp => RedisOptionsFrom(sp.GetRequiredService<IOptions<QuotaOptions>>().Value));
        services.AddSingleton<IRedisClient>(sp => new RedisClient(sp.GetRequiredService<RedisClientOptions>()));
        return builder;
    }

    public static WebApplication UseQuotaService(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Resolve now: a bad plan configuration or connection string stops the start, not the first request.
        var store = app.Services.GetRequiredService<IQuotaStore>();
        app.Logger.LogInformation("Quota store: {Store}", store.Description);
        app.Lifetime.ApplicationStarted.Register(() => _ = ReportStoreReadinessAsync(store, app.Logger));

        app.MapHealthApi();
        app.MapPlansApi();
        app.MapUsersApi();
        app.MapQuotaApi();
        return app;
    }

    /// <summary>Opens the store's connection early and says at start whether it answers (the service starts either way).</summary>
    private static async Task ReportStoreReadinessAsync(IQuotaStore store, ILogger logger)
    {
        try
        {
            await store.CheckReadyAsync();
            logger.LogInformation("Quota store is ready");
        }
        catch (QuotaStoreUnavailableException ex)
        {
            logger.LogWarning("Quota store is not answering yet; decisions answer 503 until it does: {Reason}", ex.Message);
        }
    }

    private static IQuotaStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<QuotaOptions>>().Value;
        var plans = services.GetRequiredService<PlanCatalog>();
        var clock = services.GetRequiredService<TimeProvider>();
        if (string.IsNullOrWhiteSpace(options.Redis)) return new InMemoryQuotaStore(plans, clock);

        var endpoint = services.GetRequiredService<RedisClientOptions>().Endpoint;
        return new RedisQuotaStore(services.GetRequiredService<IRedisClient>(), endpoint, plans, clock);
    }

    private static RedisClientOptions RedisOptionsFrom(QuotaOptions options)
    {
        try
        {
            return RedisClientOptions.Parse(options.Redis ?? "");
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"Quota:Redis is not a valid connection string: {ex.Message}", ex);
        }
    }
}
