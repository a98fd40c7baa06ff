using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Hosting;

namespace ImageHub.Sidecar.Admin.Apis;

/// <summary>
/// Filter management while the proxy serves: list and inspect; add a new filter to the running
/// chain or replace a filter's code (a path on the sidecar's machine or an uploaded .wasm); take
/// it out again. New code is validated and loaded in full (on_vm_start, on_configure) before it
/// goes in; requests in flight finish on the chain and the version they started with.
/// </summary>
public static class FiltersApi
{
    public static IEndpointRouteBuilder MapFiltersApi(this IEndpointRouteBuilder app, SidecarHost sidecar)
    {
        var registry = sidecar.Filters;
        var chains = sidecar.Chains;

        app.MapGet("/filters", () => Results.Json(registry.Slots.Select(s => Describe(s, chains))));

        app.MapGet("/filters/{name}", (string name) =>
            registry.Find(name) is { } slot ? Results.Json(Describe(slot, chains)) : UnknownFilter(name));

        app.MapPost("/filters/{name}", async (string name, HttpRequest request) =>
        {
            try
            {
                var (import, error) = await FilterImportRequest.ReadAsync(request, name, Path.GetDirectoryName(sidecar.Bootstrap.SourcePath)!);
                if (import is null) return Error(400, error!);
                var existing = registry.Find(name);
                if (existing is null)
                {
                    var config = import.Settings.NewFilter(name, import.Source);
                    var added = chains.Add(config, import.Position ?? FilterPosition.Last, import.Listeners, import.Code, import.Source);
                    return Results.Json(Describe(added, chains), statusCode: 201);
                }
                if (import.AsksForPlacement)
                    return Error(409, $"filter {name} is already in the chain" + (existing.AddedAtRuntime
                        ? $"; DELETE /filters/{name} first to put it elsewhere, or leave out position and listener to replace its code"
                        : " (declared in the bootstrap); leave out position and listener to replace its code, or add the module under another name"));
                if (!existing.AddedAtRuntime && !import.Settings.IsEmpty)
                    return Error(409, $"filter {name} is declared in the bootstrap, which sets its root_id, vm_id, configuration and fail_open; " +
                        "only its code can be replaced here (change the bootstrap, or add the module under another name)");
                var replacement = existing.AddedAtRuntime ? import.Settings.ApplyTo(existing.Config, import.Source) : null;
                registry.Load(name, import.Code, import.Source, replacement);
                return Results.Json(Describe(existing, chains));
            }
            catch (FilterEditException e)
            {
                return Error(e.Error switch { FilterEditError.Conflict => 409, FilterEditError.NotFound => 404, _ => 400 }, e.Message + " (nothing changed)");
            }
            catch (FilterLoadException e)
            {
                return Error(422, e.Message + (registry.Find(name) is null ? " (nothing was added)" : " (the running version is unchanged)"));
            }
            catch (KeyNotFoundException e)
            {
                return Error(404, e.Message);
            }
        }).DisableAntiforgery();

        app.MapDelete("/filters/{name}", (string name) =>
        {
            if (registry.Find(name) is not { } slot) return UnknownFilter(name);
            if (slot.AddedAtRuntime)
            {
                chains.Remove(slot);
                return Results.Json(new { name, removed = true, addedAtRuntime = true });
            }
            return registry.Unload(name)
                ? Results.Json(Describe(slot, chains))
                : Error(409, $"filter {name} is not loaded");
        });
        return app;
    }

    private static object Describe(FilterSlot slot, FilterChainEditor chains)
    {
        var version = slot.Current;
        var host = version?.Filter is Filters.ProxyWasm.WasmHttpFilter wasm ? wasm.Plugin.Info : null;
        return new
        {
            name = slot.Name,
            loaded = version is not null,
            addedAtRuntime = slot.AddedAtRuntime,
            chains = chains.PlacesOf(slot).Select(p => new { listener = p.Listener, position = p.Index }),
            rootId = slot.Config.RootId,
            vmId = slot.Config.VmId,
            failOpen = slot.Config.FailOpen,
            configuredPath = slot.AddedAtRuntime ? null : slot.Config.CodePath,
            source = version?.SourcePath,
            sha256 = version?.Sha256,
            abiVersion = version?.AbiVersion,
            replicas = version?.Replicas,
            // Alive now, the retired ones still finishing streams after a failure included.
            liveReplicas = host?.LiveReplicas,
            generation = version?.Generation,
            loadedAt = version?.LoadedAt,
            host,
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
        Error(404, $"no wasm filter named \"{name}\"; the bootstrap's http_filters declare them (config.name), POST /filters/{name} adds one");

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);
}
