using System.Reflection;

namespace ImageHub.Web.Apis;

/// <summary>The CSS, script and icon, embedded in the assembly so the app is one self-contained unit
/// that works offline and from any working directory.</summary>
public static class AssetsApi
{
    private static readonly Dictionary<string, (byte[] Bytes, string ContentType)> Assets = Load();

    public static IEndpointRouteBuilder MapAssetsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            if (!Assets.TryGetValue(name, out var asset)) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Bytes(asset.Bytes, asset.ContentType);
        });
        return app;
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "ImageHub.Web.Assets.";
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource[prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[name] = (copy.ToArray(), type);
        }
        return assets;
    }
}
