namespace ImageHub.Web.Options;

/// <summary>Everything under the <c>ImageHub</c> configuration section.</summary>
public sealed class ImageHubOptions
{
    public const string Section = "ImageHub";

    /// <summary>Database, blobs and the generated signing key live here. A relative path is
    /// resolved against the content root (the project folder under <c>dotnet run</c>).</summary>
    public string DataDirectory { get; set; } = ".data/imagehub";

    /// <summary>Create the demo tenants and users (idempotent: only what is missing).</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>Take the tenant from <c>x-imagehub-tenant</c> (set by the sidecar's tenancy filter)
    /// instead of the Host header. Only safe when the sidecar is the app's only way in.</summary>
    public bool TrustSidecarHeaders { get; set; }

    /// <summary>Largest accepted image, in bytes. Bigger uploads get 413.</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Base URL of the quota service; when empty plan changes stay local.</summary>
    public string? QuotaServiceUrl { get; set; }

    /// <summary>Tenants to create (or rename) at start-up.</summary>
    public List<TenantOptions> Tenants { get; set; } = [];

    public AuthOptions Auth { get; set; } = new();
}

public sealed class TenantOptions
{
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class AuthOptions
{
    /// <summary>HS256 secret (UTF-8 bytes of this text), at least 32 characters. When absent the
    /// app generates one and keeps it in <c>{DataDirectory}/signing-key.txt</c>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a session token stays valid.</summary>
    public int SessionMinutes { get; set; } = 12 * 60;
}
