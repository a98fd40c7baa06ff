using YamlDotNet.RepresentationModel;
using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>
/// One source of truth: the filters' configuration lives in infra/envoy/imagehub-sidecar.yaml;
/// the Consul entry is rendered from it (scripts/deploy render) and must not drift.
/// </summary>
public class FilterConfigDriftTests
{
    [Fact]
    public void Consul_entry_is_what_the_sidecar_bootstrap_renders_to()
    {
        var rendered = ImageHubEntry.Render(Repo.Layout);
        var committed = File.ReadAllText(Repo.Layout.ImageHubServiceDefaults);
        Assert.True(rendered == committed,
            $"{Repo.Layout.Relative(Repo.Layout.ImageHubServiceDefaults)} differs from {Repo.Layout.Relative(Repo.Layout.ImageHubSidecarBootstrap)}: run scripts/deploy render");
    }

    [Fact]
    public void Consul_entry_carries_the_bootstrap_configuration_strings_byte_for_byte()
    {
        var filters = EnvoyBootstrapFilters.Read(Repo.Layout.ImageHubSidecarBootstrap, Repo.Layout);
        foreach (var filter in filters)
        {
            Assert.Equal(filter.Configuration, (string?)FilterConfigs.PluginConfig(filter.PluginName)["Configuration"]);
        }
    }

    [Fact]
    public void A_changed_configuration_renders_a_different_entry()
    {
        var original = SidecarPlugins.Named("rate-limit").Configuration;
        using var copy = TempRepository.WithBootstrap(BootstrapEdit.EditPlugin("rate-limit", config =>
            config.Map("configuration").Set("value", new YamlScalarNode(original.TrimEnd() + " "))));
        var changed = ImageHubEntry.Render(copy.Layout);
        Assert.NotEqual(File.ReadAllText(Repo.Layout.ImageHubServiceDefaults), changed);
    }

    public static TheoryData<string, string> UnsupportedEdits => new()
    {
        { "remote", "code.local.filename" },
        { "outside-filters", "filters/<name>/build/<file>.wasm" },
        { "struct-configuration", "StringValue" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedEdits))]
    public void A_bootstrap_consul_cannot_express_is_refused_with_the_reason(string edit, string reason)
    {
        var bootstrap = BootstrapEdit.EditPlugin("rate-limit", config =>
        {
            var code = config.Map("vm_config").Map("code");
            switch (edit)
            {
                case "remote":
                    code.Children.Remove(new YamlScalarNode("local"));
                    code.Set("remote", new YamlMappingNode { { "http_uri", new YamlMappingNode { { "uri", "http://files/rate-limit.wasm" } } } });
                    break;
                case "outside-filters":
                    code.Map("local").Set("filename", new YamlScalarNode("../../somewhere/else.wasm"));
                    break;
                case "struct-configuration":
                    config.Map("configuration").Set("@type", new YamlScalarNode("type.googleapis.com/google.protobuf.Struct"));
                    break;
            }
        });
        using var copy = TempRepository.WithBootstrap(bootstrap);
        var error = Assert.Throws<MeshConfigException>(() => ImageHubEntry.Render(copy.Layout));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_missing_bootstrap_is_refused_with_its_path()
    {
        using var copy = TempRepository.WithBootstrap(null);
        var error = Assert.Throws<MeshConfigException>(() => ImageHubEntry.Render(copy.Layout));
        Assert.Contains("infra/envoy/imagehub-sidecar.yaml does not exist", error.Message);
    }
}
