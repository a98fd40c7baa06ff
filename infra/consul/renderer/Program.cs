using ImageHub.Mesh;

// mesh-renderer [--check]
//   Renders infra/consul/config-entries/30-service-defaults-imagehub.json from
//   infra/envoy/imagehub-sidecar.yaml. With --check it writes nothing and exits 1 when the
//   committed entry differs from what the bootstrap says.
var check = args.Contains("--check");
if (args.Any(a => a != "--check"))
{
    Console.Error.WriteLine("usage: mesh-renderer [--check]");
    return 2;
}

try
{
    var layout = RepositoryLayout.Find(AppContext.BaseDirectory);
    var rendered = ImageHubEntry.Render(layout);
    var current = File.Exists(layout.ImageHubServiceDefaults) ? File.ReadAllText(layout.ImageHubServiceDefaults) : null;
    if (current == rendered)
    {
        Console.WriteLine($"{layout.Relative(layout.ImageHubServiceDefaults)} is up to date");
        return 0;
    }
    if (check)
    {
        Console.Error.WriteLine($"{layout.Relative(layout.ImageHubServiceDefaults)} differs from {layout.Relative(layout.ImageHubSidecarBootstrap)}; run scripts/deploy render");
        return 1;
    }
    File.WriteAllText(layout.ImageHubServiceDefaults, rendered);
    Console.WriteLine($"wrote {layout.Relative(layout.ImageHubServiceDefaults)}");
    return 0;
}
catch (Exception e) when (e is MeshConfigException or DirectoryNotFoundException or IOException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
