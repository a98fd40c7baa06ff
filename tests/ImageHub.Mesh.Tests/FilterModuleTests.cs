using System.Text.Json.Nodes;
using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>
/// The modules the Envoy image carries are the ones the filter packages build, from the
/// same paths the local sidecar loads; scripts/test builds them before running the tests.
/// </summary>
public class FilterModuleTests
{
    [Theory]
    [MemberData(nameof(SidecarPlugins.Names), MemberType = typeof(SidecarPlugins))]
    public void Filter_package_build_writes_the_module(string plugin)
    {
        // filters/<package>/build/<file>.wasm: "npm run build" (or a script it chains to) must write that output.
        var codePath = SidecarPlugins.Named(plugin).CodePath;
        var package = Repo.Path(string.Join('/', codePath.Split('/')[..2]) + "/package.json");
        Assert.True(File.Exists(package), $"{Repo.Layout.Relative(package)} does not exist");
        var scripts = JsonNode.Parse(File.ReadAllText(package))!["scripts"]?.AsObject();
        Assert.True(scripts?["build"] is not null, $"{Repo.Layout.Relative(package)} has no build script");
        var output = " -b " + string.Join('/', codePath.Split('/')[2..]);
        Assert.True(scripts!.Any(s => ((string?)s.Value ?? "").Contains(output, StringComparison.Ordinal)),
            $"{Repo.Layout.Relative(package)}: no script writes {output[4..]}");
    }

    [Theory]
    [MemberData(nameof(SidecarPlugins.Names), MemberType = typeof(SidecarPlugins))]
    public void Built_module_is_a_webassembly_binary(string plugin)
    {
        var module = Repo.Path(SidecarPlugins.Named(plugin).CodePath);
        Assert.True(File.Exists(module), $"{SidecarPlugins.Named(plugin).CodePath} is missing: run scripts/build --filters-only (scripts/test does)");
        using var stream = File.OpenRead(module);
        var header = new byte[8];
        Assert.Equal(8, stream.Read(header));
        Assert.Equal(new byte[] { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00 }, header);
    }
}
