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
        using var copy = TempRepository.WithBootstrap(File.ReadAllText(Repo.Layout.ImageHubSidecarBootstrap)
            .Replace("\"quotaTimeoutMs\": 500", "\"quotaTimeoutMs\": 750"));
        var changed = ImageHubEntry.Render(copy.Layout);
        Assert.NotEqual(File.ReadAllText(Repo.Layout.ImageHubServiceDefaults), changed);
        Assert.Contains("quotaTimeoutMs\\\": 750", changed);
    }

    [Theory]
    [InlineData("local:\n                      filename: ../../filters/rate-limit/build/rate-limit.wasm",
                "remote:\n                      http_uri: { uri: \"http://files/rate-limit.wasm\" }", "code.local.filename")]
    [InlineData("../../filters/rate-limit/build/rate-limit.wasm", "../../somewhere/else.wasm", "filters/<name>/build/<file>.wasm")]
    [InlineData("type.googleapis.com/google.protobuf.StringValue", "type.googleapis.com/google.protobuf.Struct", "StringValue")]
    public void A_bootstrap_consul_cannot_express_is_refused_with_the_reason(string original, string replacement, string reason)
    {
        var bootstrap = File.ReadAllText(Repo.Layout.ImageHubSidecarBootstrap);
        Assert.Contains(original, bootstrap);
        using var copy = TempRepository.WithBootstrap(bootstrap.Replace(original, replacement));
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
