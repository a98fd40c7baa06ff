using System.Text.Json.Nodes;
using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>
/// The filters' configuration against the rest of the mesh: the cluster the rate-limit filter
/// calls, the secret it shares with the app, the hosts the tenancy filter knows, the modules
/// the Envoy image carries.
/// </summary>
public class FilterWiringTests
{
    private static JsonObject ImageHubProxy => Repo.ServiceDefinition("imagehub")["connect"]!["sidecar_service"]!["proxy"]!.AsObject();

    [Fact]
    public void Rate_limit_callouts_go_to_a_static_cluster_on_the_quota_upstream_listener()
    {
        var quotaCluster = (string?)FilterConfigs.Configuration("rate-limit")["quotaCluster"] ?? "quota";
        var upstream = ImageHubProxy["upstreams"]!.AsArray().Single(u => (string?)u!["destination_name"] == "quota")!;

        var extra = (string?)ImageHubProxy["config"]?["envoy_extra_static_clusters_json"];
        Assert.False(string.IsNullOrEmpty(extra), "imagehub's sidecar needs envoy_extra_static_clusters_json with the quota cluster");
        // Consul interpolates the value into a JSON array: one object, or several separated by commas.
        var clusters = JsonNode.Parse("[" + extra + "]")!.AsArray();
        var cluster = clusters.SingleOrDefault(c => (string?)c!["name"] == quotaCluster);
        Assert.True(cluster is not null, $"no static cluster named \"{quotaCluster}\" (the rate-limit filter's quotaCluster)");

        Assert.Equal("STATIC", (string?)cluster!["type"]);
        Assert.Equal(quotaCluster, (string?)cluster["load_assignment"]!["cluster_name"]);
        var socket = cluster["load_assignment"]!["endpoints"]![0]!["lb_endpoints"]![0]!["endpoint"]!["address"]!["socket_address"]!;
        Assert.Equal((string?)upstream["local_bind_address"], (string?)socket["address"]);
        Assert.Equal((int)upstream["local_bind_port"]!, (int)socket["port_value"]!);
    }

    [Fact]
    public void App_signs_sessions_with_the_key_the_rate_limit_filter_verifies()
    {
        var filterKey = (string?)FilterConfigs.Configuration("rate-limit")["signingKey"];
        var appKey = Compose.Load().Environment("imagehub", "ImageHub__Auth__SigningKey");
        Assert.False(string.IsNullOrEmpty(filterKey));
        Assert.Equal(filterKey, appKey);
    }

    [Fact]
    public void Ingress_gateway_routes_exactly_the_hosts_the_tenancy_filter_knows()
    {
        var tenantHosts = FilterConfigs.Configuration("multi-tenancy")["tenants"]!.AsArray()
            .SelectMany(t => t!["hosts"]?.AsArray().Select(h => HostWithoutPort((string)h!)) ?? [])
            .Order().ToList();
        var routed = Repo.Entry("ingress-gateway", "ingress-gateway")["Listeners"]!.AsArray()
            .SelectMany(l => l!["Services"]!.AsArray())
            .Where(s => (string?)s!["Name"] == "imagehub")
            .SelectMany(s => s!["Hosts"]!.AsArray().Select(h => (string)h!))
            .Order().ToList();
        Assert.NotEmpty(tenantHosts);
        Assert.Equal(tenantHosts, routed);
    }

    [Theory]
    [MemberData(nameof(SidecarPlugins.Names), MemberType = typeof(SidecarPlugins))]
    public void Envoy_image_copies_the_module_the_sidecar_loads(string plugin)
    {
        var codePath = SidecarPlugins.Named(plugin).CodePath;
        var dockerfile = Dockerfile.Load(Path.Combine(Repo.DockerDirectory, "envoy-sidecar.Dockerfile"));
        var workdir = dockerfile.Stage("filters")!.All("WORKDIR").Last().Arguments[0].TrimEnd('/');
        var entryPath = (string)FilterConfigs.PluginConfig(plugin)["VmConfig"]!["Code"]!["Local"]!["Filename"]!;

        var copy = dockerfile.FinalStage.All("COPY").SingleOrDefault(c => c.Arguments[^1] == entryPath);
        Assert.True(copy is not null, $"envoy-sidecar.Dockerfile does not copy {entryPath}");
        Assert.Equal("filters", copy!.Flags["from"]);
        Assert.Equal($"{workdir}/{codePath}", copy.Arguments[0]);
    }

    private static string HostWithoutPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && host[(colon + 1)..].All(char.IsDigit) ? host[..colon] : host;
    }
}
