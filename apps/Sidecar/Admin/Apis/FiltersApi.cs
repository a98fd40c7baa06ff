using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Hosting;

namespace ImageHub.Sidecar.Admin.Apis;

/// <summary>
/// Filter management: list, inspect, replace (a path on the sidecar's machine or an uploaded
/// .wasm) and unload wasm filters while the proxy serves. A replacement is validated and loaded
/// in full before it is swapped in; requests in flight finish on the version they started with.
/// </summary>
public static class FiltersApi
{
    public sealed record FilterSource(string? Path);

    public static IEndpointRouteBuilder MapFiltersApi(this IEndpointRouteBuilder app, SidecarHost sidecar)
    {
        var registry = sidecar.Filters;

        app.MapGet("/filters", () => Results.Json(registry.Slots.Select(Describe)));

        app.MapGet("/filters/{name}", (string name) =>
            registry.Find(name) is { } slot ? Results.Json(Describe(slot)) : UnknownFilter(name));

        app.MapPost("/filters/{name}", async (string name, HttpRequest request) =>
        {
            if (registry.Find(name) is null) return UnknownFilter(name);
            try
            {
                if (request.HasFormContentType)
                {
                    var form = await request.ReadFormAsync();
                    var file = form.Files.FirstOrDefault();
                    if (file is null) return Error(400, "the form has no file; send the .wasm as a file field");
                    using var buffer = new MemoryStream();
                    await file.CopyToAsync(buffer);
                    registry.Load(name, buffer.ToArray(), $"upload:{file.FileName}");
                }
                else if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
                {
                    var source = await request.ReadFromJsonAsync<FilterSource>();
                    if (string.IsNullOrWhiteSpace(source?.Path)) return Error(400, "the JSON body needs \"path\": the .wasm file on the sidecar's machine");
                    // Relative paths resolve like code.local.filename: against the bootstrap's folder.
                    var baseDirectory = Path.GetDirectoryName(sidecar.Bootstrap.SourcePath)!;
                    registry.LoadFromFile(name, Path.GetFullPath(Path.Combine(baseDirectory, source.Path)));
                }
                else
                {
                    using var buffer = new MemoryStream();
                    await request.Body.CopyToAsync(buffer);
                    if (buffer.Length == 0) return Error(400, "empty body: send the .wasm bytes, a multipart upload or {\"path\": ...}");
                    registry.Load(name, buffer.ToArray(), "upload");
                }
            }
            catch (FilterLoadException e)
            {
                return Error(422, e.Message + " (the running version is unchanged)");
            }
            catch (System.Text.Json.JsonException e)
            {
                return Error(400, $"invalid JSON body: {e.Message}");
            }
            return Results.Json(Describe(registry.Find(name)!));
        }).DisableAntiforgery();

        app.MapDelete("/filters/{name}", (string name) =>
        {
            if (registry.Find(name) is null) return UnknownFilter(name);
            return registry.Unload(name)
                ? Results.Json(Describe(registry.Find(name)!))
                : Error(409, $"filter {name} is not loaded");
        });
        return app;
    }

    private static object Describe(FilterSlot slot)
    {
        var version = slot.Current;
        return new
        {
            name = slot.Name,
            loaded = version is not null,
            rootId = slot.Config.RootId,
            vmId = slot.Config.VmId,
            failOpen = slot.Config.FailOpen,
            configuredPath = slot.Config.CodePath,
            source = version?.SourcePath,
            sha256 = version?.Sha256,
            abiVersion = version?.AbiVersion,
            replicas = version?.Replicas,
            generation = version?.Generation,
            loadedAt = version?.LoadedAt,
            host = version?.Filter is Filters.ProxyWasm.WasmHttpFilter wasm ? wasm.Plugin.Info : null,
            counters = version is null ? null : new
            {
                requests = version.Requests.Value,
                localReplies = version.LocalReplies.Value,
                failures = version.Failures.Value,
                activeStreams = version.ActiveStreams,
            },
        };
    }

    private static IResult UnknownFilter(string name) =>
        Error(404, $"no wasm filter named \"{name}\"; filters are declared in the bootstrap's http_filters (config.name)");

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);
}
