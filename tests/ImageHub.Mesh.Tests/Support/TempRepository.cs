namespace ImageHub.Mesh.Tests.Support;

/// <summary>A throwaway repository layout holding one sidecar bootstrap, for bad-input tests of the renderer.</summary>
public sealed class TempRepository : IDisposable
{
    private readonly DirectoryInfo _root;

    private TempRepository(DirectoryInfo root)
    {
        _root = root;
        Layout = new RepositoryLayout(root.FullName);
    }

    public RepositoryLayout Layout { get; }

    /// <param name="bootstrap">the content of infra/envoy/imagehub-sidecar.yaml; null leaves it out.</param>
    public static TempRepository WithBootstrap(string? bootstrap)
    {
        var repository = new TempRepository(Directory.CreateTempSubdirectory("mesh-repo-"));
        Directory.CreateDirectory(Path.GetDirectoryName(repository.Layout.ImageHubSidecarBootstrap)!);
        if (bootstrap is not null) File.WriteAllText(repository.Layout.ImageHubSidecarBootstrap, bootstrap);
        return repository;
    }

    public void Dispose() => _root.Delete(recursive: true);
}
