using ImageHub.Sidecar.Bootstrap;
using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>The Envoy bootstrap files in infra/envoy, read by the local sidecar's own parser.</summary>
public class EnvoyBootstrapTests
{
    public static TheoryData<string> Bootstraps()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Repo.Path("infra/envoy"), "*.yaml").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Bootstraps))]
    public void Bootstrap_loads_in_the_sidecar_with_no_unsupported_field(string file)
    {
        var config = BootstrapReader.Load(Repo.Path($"infra/envoy/{file}"));
        Assert.True(config.Warnings.Count == 0, $"{file}:\n" + string.Join("\n", config.Warnings));
        Assert.NotEmpty(config.Listeners);
    }

    [Fact]
    public void An_unsupported_field_shows_up_as_a_warning()
    {
        // The check above relies on the parser reporting what it skips; make sure it does.
        var bootstrap = File.ReadAllText(Repo.Path("infra/envoy/imagehub-sidecar.yaml"))
            .Replace("static_resources:", "overload_manager: { refresh_interval: 1s }\nstatic_resources:");
        // Parsed in memory under the real file's name, so relative module paths still resolve.
        var path = Repo.Layout.ImageHubSidecarBootstrap;
        var config = BootstrapReader.Read(ConfigDocument.Parse(bootstrap, isJson: false, path), path);
        Assert.Contains(config.Warnings, w => w.Contains("overload_manager"));
    }

    [Fact]
    public void Renderer_reads_the_same_wasm_filters_as_the_sidecar()
    {
        var path = Repo.Layout.ImageHubSidecarBootstrap;
        var sidecar = BootstrapReader.Load(path).Listeners
            .SelectMany(l => l.Http.HttpFilters).OfType<WasmFilterConfig>()
            .Select(f => new WasmFilterSpec(
                f.PluginName, f.RootId, f.VmId, f.Runtime.Replace("envoy.wasm.runtime.", ""),
                Repo.Layout.Relative(f.CodePath), f.Configuration, f.FailOpen))
            .ToList();
        var renderer = EnvoyBootstrapFilters.Read(path, Repo.Layout);
        Assert.Equal(sidecar, renderer);
    }
}
