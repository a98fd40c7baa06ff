namespace ImageHub.Quota;

/// <summary>Builds the quota service; Program and the benchmark host it the same way.</summary>
public static class QuotaServiceApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddQuotaService();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseQuotaService();
        return app;
    }
}
