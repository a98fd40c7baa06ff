namespace ImageHub.Mesh;

/// <summary>Where the mesh's inputs and outputs live, found from the repository root.</summary>
public sealed class RepositoryLayout(string root)
{
    public string Root { get; } = root;

    /// <summary>The bootstrap of the local sidecar in front of ImageHub: the source of truth for the filters' configuration.</summary>
    public string ImageHubSidecarBootstrap => Path.Combine(Root, "infra", "envoy", "imagehub-sidecar.yaml");

    public string ConfigEntries => Path.Combine(Root, "infra", "consul", "config-entries");

    /// <summary>Written by the renderer; never edited by hand.</summary>
    public string ImageHubServiceDefaults => Path.Combine(ConfigEntries, "30-service-defaults-imagehub.json");

    /// <summary>Walks up from <paramref name="start"/> to the folder holding ImageHub.sln.</summary>
    public static RepositoryLayout Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImageHub.sln"))) return new RepositoryLayout(dir.FullName);
        }
        throw new DirectoryNotFoundException($"no ImageHub.sln in {start} or any folder above it");
    }

    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');
}
