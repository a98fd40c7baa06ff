namespace ImageHub.Deployment;

/// <summary>
/// The whole product on one machine: Redis (when installed), the quota service, the ImageHub
/// app trusting its sidecar, and the sidecar running both filters in front of it. The demo,
/// <c>scripts/verify</c> and the end-to-end tests all start it through this one class.
/// </summary>
public sealed class LocalDeployment : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];
    private ChildProcess? _quota;

    private LocalDeployment(DeploymentOptions options, RepositoryLayout layout)
    {
        Options = options;
        Layout = layout;
    }

    public DeploymentOptions Options { get; }
    public RepositoryLayout Layout { get; }
    public int ListenerPort { get; private set; }
    public int AdminPort { get; private set; }
    public int ImageHubPort { get; private set; }
    public int QuotaPort { get; private set; }
    public string SigningKey { get; private set; } = "";
    public string QuotaStore { get; private set; } = "";
    public string LogDirectory => Path.Combine(Options.DataDirectory, "logs");

    /// <summary>The URL of a tenant through the sidecar, e.g. http://acme.localhost:8080.</summary>
    public string TenantUrl(string tenant) => $"http://{tenant}.localhost:{ListenerPort}";
    public string AdminUrl => $"http://127.0.0.1:{AdminPort}";
    public string QuotaUrl => $"http://127.0.0.1:{QuotaPort}";

    public static async Task<LocalDeployment> StartAsync(DeploymentOptions options, RepositoryLayout? layout = null,
        CancellationToken cancellationToken = default)
    {
        var deployment = new LocalDeployment(options, layout ?? RepositoryLayout.Find());
        try
        {
            await deployment.StartAllAsync(cancellationToken);
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(60);
        Directory.CreateDirectory(Options.DataDirectory);
        ListenerPort = FreePorts.OrFree(Options.ListenerPort);
        AdminPort = FreePorts.OrFree(Options.AdminPort);
        ImageHubPort = FreePorts.OrFree(Options.ImageHubPort);
        QuotaPort = FreePorts.OrFree(Options.QuotaPort);
        SigningKey = SigningKeyFile.LoadOrCreate(Options.DataDirectory);

        string? redis = null;
        if (Options.PreferRedis && RedisProcess.IsInstalled)
        {
            var redisPort = FreePorts.Next();
            Options.Progress($"starting redis-server on 127.0.0.1:{redisPort}");
            _processes.Add(await RedisProcess.StartAsync(redisPort, Path.Combine(Options.DataDirectory, "redis"),
                Path.Combine(LogDirectory, "redis.log"), cancellationToken));
            redis = $"127.0.0.1:{redisPort}";
        }
        QuotaStore = redis is null ? "in-memory store (redis-server is not installed)" : $"Redis at {redis}";

        Options.Progress($"starting QuotaService on {QuotaUrl} ({QuotaStore})");
        _quota = StartApp("quota", "QuotaService", "QuotaService", QuotaPort,
            redis is null ? [] : [$"--Quota:Redis={redis}"]);
        await _quota.WaitUntilHealthyAsync(QuotaUrl + "/readyz", timeout, cancellationToken);

        Options.Progress($"starting ImageHub on http://127.0.0.1:{ImageHubPort}");
        var app = StartApp("imagehub", "ImageHub", "ImageHub", ImageHubPort,
        [
            "--ImageHub:TrustSidecarHeaders=true",
            $"--ImageHub:SeedDemoData={Options.SeedDemoData}",
            $"--ImageHub:DataDirectory={Path.Combine(Options.DataDirectory, "imagehub")}",
            $"--ImageHub:Auth:SigningKey={SigningKey}",
            $"--ImageHub:QuotaServiceUrl={QuotaUrl}",
        ]);
        await app.WaitUntilHealthyAsync($"http://127.0.0.1:{ImageHubPort}/readyz", timeout, cancellationToken);

        var bootstrap = Path.Combine(Options.DataDirectory, "sidecar.yaml");
        await File.WriteAllTextAsync(bootstrap, SidecarBootstrapRenderer.Render(Layout.SidecarBootstrap,
            new(ListenerPort, AdminPort, ImageHubPort, QuotaPort), SigningKey), cancellationToken);
        Options.Progress($"starting the sidecar on 127.0.0.1:{ListenerPort} (admin {AdminUrl}) with {bootstrap}");
        var sidecar = Start("sidecar", Layout.AppAssembly("Sidecar", "ImageHub.Sidecar"), ["-c", bootstrap]);
        await sidecar.WaitUntilHealthyAsync(AdminUrl + "/ready", timeout, cancellationToken);
    }

    /// <summary>Stops the quota service, to show what the rate-limit filter does when it cannot ask.</summary>
    public async Task StopQuotaServiceAsync()
    {
        if (_quota is null) return;
        _processes.Remove(_quota);
        await _quota.DisposeAsync();
        _quota = null;
    }

    private ChildProcess StartApp(string name, string project, string assembly, int port, IEnumerable<string> settings) =>
        Start(name, Layout.AppAssembly(project, assembly), ["--urls", $"http://127.0.0.1:{port}", .. settings]);

    private ChildProcess Start(string name, string assemblyPath, IEnumerable<string> arguments)
    {
        if (!File.Exists(assemblyPath))
            throw new FileNotFoundException($"{name}: {assemblyPath} is missing; run scripts/build first");
        var process = ChildProcess.Start(name, "dotnet", [assemblyPath, .. arguments],
            Path.Combine(LogDirectory, name + ".log"), workingDirectory: Path.GetDirectoryName(assemblyPath));
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        // Front to back: the sidecar first, so no request reaches a stopped upstream.
        for (var i = _processes.Count - 1; i >= 0; i--) await _processes[i].DisposeAsync();
        _processes.Clear();
    }
}
