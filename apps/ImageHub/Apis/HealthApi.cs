using ImageHub.Web.Data;

namespace ImageHub.Web.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/readyz", async (Database database, CancellationToken ct) =>
            await database.IsReachableAsync(ct)
                ? Results.Ok(new { status = "ready" })
                : ErrorResponses.Problem(StatusCodes.Status503ServiceUnavailable, "Not ready", "The database cannot be reached."));
        return app;
    }
}
