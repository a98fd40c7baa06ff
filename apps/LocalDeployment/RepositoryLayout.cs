namespace ImageHub.Deployment;

/// <summary>Where the built parts of the project are, found from the repository root.</summary>
public sealed class RepositoryLayout(string root)
{
    public string Root { get; } = root;

    public string SidecarBootstrap => Path.Combine(Root, "infra", "envoy", "imagehub-sidecar.yaml");

    /// <summary>The assembly <c>scripts/build</c> produced for an app under <c>apps/</c>.</summary>
    public string AppAssembly(string project, string assembly) =>
        Path.Combine(Root, "apps", project, "bin", "Debug", "net10.0", assembly + ".dll");

    /// <summary>Walks up from <paramref name="start"/> to the folder holding ImageHub.sln.</summary>
    public static RepositoryLayout Find(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImageHub.sln")))
                return new RepositoryLayout(dir.FullName);
        }
        throw new InvalidOperationException("ImageHub.sln not found above " + (start ?? AppContext.BaseDirectory));
    }
}
