using Microsoft.Extensions.Options;

namespace ImageHub.Web.Options;

/// <summary>The files and folders inside the data directory, resolved once.</summary>
public sealed class DataPaths
{
    public DataPaths(IOptions<ImageHubOptions> options, IHostEnvironment environment)
    {
        Root = Path.GetFullPath(options.Value.DataDirectory, environment.ContentRootPath);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(BlobDirectory);
        Directory.CreateDirectory(BlobTempDirectory);
    }

    public string Root { get; }
    public string DatabaseFile => Path.Combine(Root, "imagehub.db");
    public string BlobDirectory => Path.Combine(Root, "blobs");
    /// <summary>Same file system as the blobs so that the final rename is atomic.</summary>
    public string BlobTempDirectory => Path.Combine(Root, "blobs", "tmp");
    public string SigningKeyFile => Path.Combine(Root, "signing-key.txt");
}
