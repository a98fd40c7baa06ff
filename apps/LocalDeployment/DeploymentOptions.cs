namespace ImageHub.Deployment;

/// <summary>How to start a local deployment. A port of 0 means "pick a free one".</summary>
public sealed record DeploymentOptions
{
    /// <summary>Database, blobs, Redis files, the signing key, the rendered bootstrap and the logs.</summary>
    public required string DataDirectory { get; init; }

    public int ListenerPort { get; init; }
    public int AdminPort { get; init; }
    public int ImageHubPort { get; init; }
    public int QuotaPort { get; init; }

    /// <summary>Use a real redis-server when one is installed; otherwise the quota service's in-memory store.</summary>
    public bool PreferRedis { get; init; } = true;

    /// <summary>Seed the demo tenants and users (alice, bob, carol in acme and globex).</summary>
    public bool SeedDemoData { get; init; } = true;

    /// <summary>Where progress lines go (the demo prints them; tests collect them).</summary>
    public Action<string> Progress { get; init; } = Console.WriteLine;

    /// <summary>The fixed ports of the README's demo.</summary>
    public static DeploymentOptions Demo(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        ListenerPort = 8080,
        AdminPort = 9901,
        ImageHubPort = 5080,
        QuotaPort = 5090,
    };

    /// <summary>Free ports and a fresh folder: for verify and the end-to-end tests.</summary>
    public static DeploymentOptions Isolated() => new()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "imagehub-" + Guid.NewGuid().ToString("N")[..12]),
    };
}
