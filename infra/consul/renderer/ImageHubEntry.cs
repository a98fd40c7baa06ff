namespace ImageHub.Mesh;

/// <summary>The one entry the renderer owns: service-defaults for imagehub.</summary>
public static class ImageHubEntry
{
    public const string ServiceName = "imagehub";

    public static string Render(RepositoryLayout layout)
    {
        var filters = EnvoyBootstrapFilters.Read(layout.ImageHubSidecarBootstrap, layout);
        return ServiceDefaultsRenderer.Render(
            ServiceName,
            filters,
            $"{layout.Relative(layout.ImageHubSidecarBootstrap)} by infra/consul/renderer; do not edit, run scripts/deploy render");
    }
}
