using ImageHub.Web.Apis;
using ImageHub.Web.Auth;
using ImageHub.Web.Data;
using ImageHub.Web.Images;
using ImageHub.Web.Options;
using ImageHub.Web.Plans;
using ImageHub.Web.Tenancy;
using ImageHub.Web.Users;
using Microsoft.Extensions.Options;

namespace ImageHub.Web.Extensions;

/// <summary>The app's composition: services, then the request pipeline and endpoints.</summary>
public static class ImageHubExtensions
{
    public static WebApplicationBuilder AddImageHub(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ImageHubOptions>().BindConfiguration(ImageHubOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ImageHubOptions>, ImageHubOptionsValidator>();
        services.AddProblemDetails();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DataPaths>();
        services.AddSingleton<Database>();
        services.AddSingleton<SigningKey>();
        services.AddSingleton<SessionToken>();
        services.AddSingleton<TenantStore>();
        services.AddSingleton<TenantResolver>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<ImageStore>();
        services.AddSingleton<BlobStore>();
        services.AddSingleton<ImageLibrary>();
        services.AddSingleton<UploadReceiver>();
        services.AddHostedService<StartupInitializer>();

        var quotaUrl = builder.Configuration[$"{ImageHubOptions.Section}:{nameof(ImageHubOptions.QuotaServiceUrl)}"];
        if (!string.IsNullOrWhiteSpace(quotaUrl) && Uri.TryCreate(quotaUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress))
        {
            services.AddHttpClient<IQuotaPlanSync, HttpQuotaPlanSync>(http =>
            {
                http.BaseAddress = baseAddress;
                http.Timeout = TimeSpan.FromSeconds(5);
            });
        }
        else
        {
            services.AddSingleton<IQuotaPlanSync, NoQuotaPlanSync>();
        }
        return builder;
    }

    public static WebApplication UseImageHub(this WebApplication app)
    {
        // Fail at start-up, with the validator's message, rather than on the first request.
        _ = app.Services.GetRequiredService<SigningKey>();

        app.UseExceptionHandler(errors => errors.Run(context =>
            ErrorResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, "Something went wrong",
                "The server could not complete the request; the error has been logged.")));
        app.Use(SecurityHeaders);
        app.UseMiddleware<CrossOriginGuard>();
        app.UseMiddleware<IdentityMiddleware>();

        app.MapHealthApi();
        app.MapAssetsApi();
        app.MapAuthApi();
        app.MapMeApi();
        app.MapImagesApi();
        app.MapPagesApi();
        app.MapFallback((HttpContext context) =>
            ErrorResponses.For(context, StatusCodes.Status404NotFound, "Not found", $"Nothing lives at {context.Request.Path}."));
        return app;
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        // Everything the pages need comes from this origin; uploaded images can never run script.
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        return next();
    }
}
