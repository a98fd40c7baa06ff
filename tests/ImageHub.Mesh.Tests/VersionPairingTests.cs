using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>The Envoy image must be one the pinned Consul supports: consul connect envoy refuses others.</summary>
public class VersionPairingTests
{
    /// <summary>
    /// Consul's Envoy compatibility matrix (developer.hashicorp.com/consul/docs/reference/proxy/envoy,
    /// "Supported Versions"; Consul's envoyextensions/xdscommon/ENVOY_VERSIONS on the release branch).
    /// Extend it from that page when the pins move.
    /// </summary>
    private static readonly Dictionary<string, string[]> SupportedEnvoyByConsul = new()
    {
        ["1.22"] = ["1.35", "1.34", "1.33", "1.32"],
    };

    [Fact]
    public void Envoy_image_is_supported_by_the_consul_image()
    {
        var dockerfile = Dockerfile.Load(Path.Combine(Repo.DockerDirectory, "envoy-sidecar.Dockerfile"));
        var consul = MinorOf(dockerfile.Stages.Single(s => s.Image.StartsWith("hashicorp/consul:", StringComparison.Ordinal)).Image);
        var envoy = MinorOf(dockerfile.Stages.Single(s => s.Image.StartsWith("envoyproxy/envoy:", StringComparison.Ordinal)).Image);

        Assert.True(SupportedEnvoyByConsul.TryGetValue(consul, out var supported), $"Consul {consul} is not in the table; look it up in Consul's Envoy compatibility matrix");
        Assert.Contains(envoy, supported);
    }

    [Fact]
    public void Compose_runs_the_same_consul_as_the_sidecar_image_bootstraps_with()
    {
        var dockerfile = Dockerfile.Load(Path.Combine(Repo.DockerDirectory, "envoy-sidecar.Dockerfile"));
        var sidecarConsul = dockerfile.Stages.Single(s => s.Image.StartsWith("hashicorp/consul:", StringComparison.Ordinal)).Image;
        Assert.Equal(sidecarConsul, (string?)Compose.Load().Service("consul")["image"]);
    }

    [Fact]
    public void Minor_version_is_read_from_image_tags()
    {
        Assert.Equal("1.35", MinorOf("envoyproxy/envoy:v1.35.3"));
        Assert.Equal("1.22", MinorOf("hashicorp/consul:1.22.0"));
        Assert.Throws<FormatException>(() => MinorOf("envoyproxy/envoy:latest"));
    }

    private static string MinorOf(string image)
    {
        var tag = image[(image.LastIndexOf(':') + 1)..].TrimStart('v');
        var parts = tag.Split('.');
        if (parts.Length < 2 || !parts[0].All(char.IsDigit) || !parts[1].All(char.IsDigit) || parts[0].Length == 0)
            throw new FormatException($"{image}: the tag is not a version");
        return $"{parts[0]}.{parts[1]}";
    }
}
