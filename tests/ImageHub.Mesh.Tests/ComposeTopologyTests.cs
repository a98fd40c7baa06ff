using System.Text.RegularExpressions;
using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>
/// What docker-compose cannot know: that the containers, the Consul registrations and the
/// config entries describe the same mesh (names, addresses, ports).
/// </summary>
public partial class ComposeTopologyTests
{
    private readonly Compose _compose = Compose.Load();

    public static TheoryData<string> SidecarServices => new() { "imagehub", "quota" };

    [Fact]
    public void Every_pulled_image_is_pinned_to_a_version()
    {
        var unpinned = _compose.Services
            .Where(s => s.Value!["build"] is null)
            .Select(s => (Name: s.Key, Image: (string?)s.Value!["image"] ?? ""))
            .Where(s => !PinnedImage().IsMatch(s.Image))
            .Select(s => $"{s.Name}: \"{s.Image}\"")
            .ToList();
        Assert.True(unpinned.Count == 0, "images without an explicit version tag: " + string.Join(", ", unpinned));
    }

    [Fact]
    public void Every_build_uses_the_repository_root_and_an_existing_dockerfile()
    {
        foreach (var (name, service) in _compose.Services.Where(s => s.Value!["build"] is not null))
        {
            var build = service!["build"]!;
            Assert.Equal(".", (string?)build["context"]);
            var dockerfile = (string?)build["dockerfile"];
            Assert.True(dockerfile is not null && File.Exists(Repo.Path(dockerfile)), $"{name}: dockerfile {dockerfile} does not exist");
        }
    }

    [Theory]
    [MemberData(nameof(SidecarServices))]
    public void Sidecar_shares_the_app_network_and_proxies_the_registered_service(string service)
    {
        var sidecar = _compose.Service(service + "-sidecar");
        Assert.Equal($"service:{service}", (string?)sidecar["network_mode"]);
        Assert.Equal(service, Compose.Flag(_compose.Command(service + "-sidecar"), "-sidecar-for"));

        var definition = Repo.ServiceDefinition(service);
        var address = _compose.MeshAddress(service);
        Assert.Equal(service, (string?)definition["id"]);
        Assert.Equal(address, (string?)definition["address"]);
        Assert.Equal(address, (string?)definition["connect"]!["sidecar_service"]!["address"]);
    }

    [Theory]
    [MemberData(nameof(SidecarServices))]
    public void App_listens_on_loopback_at_the_port_its_sidecar_forwards_to(string service)
    {
        var definition = Repo.ServiceDefinition(service);
        var port = (int)definition["port"]!;
        var proxy = definition["connect"]!["sidecar_service"]!["proxy"]!;
        Assert.Equal("127.0.0.1", (string?)proxy["local_service_address"]);
        Assert.Equal(port, (int)proxy["local_service_port"]!);
        // Loopback only: nothing on the mesh network can reach the app around its sidecar.
        Assert.Equal($"http://127.0.0.1:{port}", _compose.Environment(service, "ASPNETCORE_URLS"));
    }

    [Fact]
    public void Proxies_reach_the_consul_server_where_it_listens()
    {
        var agent = Repo.ReadJson(Repo.Path("infra/consul/agent/server.json"));
        var consul = _compose.MeshAddress("consul");
        Assert.Equal(consul, (string?)agent["bind_addr"]);
        foreach (var proxy in new[] { "imagehub-sidecar", "quota-sidecar", "ingress-gateway" })
        {
            Assert.Equal($"http://{consul}:8500", _compose.Environment(proxy, "CONSUL_HTTP_ADDR"));
            Assert.Equal($"{consul}:{(int)agent["ports"]!["grpc"]!}", _compose.Environment(proxy, "CONSUL_GRPC_ADDR"));
        }
    }

    [Fact]
    public void Mesh_addresses_are_distinct_and_inside_the_subnet()
    {
        var addressed = _compose.Services
            .Where(s => (s.Value!["networks"] as System.Text.Json.Nodes.JsonObject)?["mesh"]?["ipv4_address"] is not null)
            .Select(s => (s.Key, Address: _compose.MeshAddress(s.Key)))
            .ToList();
        Assert.Equal(addressed.Count, addressed.Select(a => a.Address).Distinct().Count());
        Assert.All(addressed, a => Assert.True(Compose.InSubnet(a.Address, _compose.MeshSubnet), $"{a.Key}: {a.Address} is outside {_compose.MeshSubnet}"));
    }

    [Fact]
    public void Ingress_gateway_publishes_its_listener_port_and_registers_under_the_entry_name()
    {
        var entry = Repo.Entry("ingress-gateway", "ingress-gateway");
        var listenerPorts = entry["Listeners"]!.AsArray().Select(l => (int)l!["Port"]!).ToList();
        var command = _compose.Command("ingress-gateway");

        Assert.Equal("ingress", Compose.Flag(command, "-gateway"));
        Assert.Contains("-register", command);
        Assert.Equal((string?)entry["Name"], Compose.Flag(command, "-service"));

        // Consul matches "host:port" Host headers on the listener port, so host and container ports must agree.
        var published = _compose.Service("ingress-gateway")["ports"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.All(listenerPorts, port => Assert.Contains(published, p => p == $"{port}:{port}" || p.EndsWith($":{port}:{port}", StringComparison.Ordinal)));

        // -address carries the gateway's /ready health endpoint; it must not collide with a listener.
        var address = Compose.Flag(command, "-address")!;
        Assert.Equal(_compose.MeshAddress("ingress-gateway"), address.Split(':')[0]);
        Assert.DoesNotContain(int.Parse(address.Split(':')[1]), listenerPorts);
    }

    [Fact]
    public void ImageHub_reaches_the_quota_service_through_its_sidecar_upstream()
    {
        var upstream = Repo.ServiceDefinition("imagehub")["connect"]!["sidecar_service"]!["proxy"]!["upstreams"]!.AsArray()
            .Single(u => (string?)u!["destination_name"] == "quota")!;
        var url = new Uri(_compose.Environment("imagehub", "ImageHub__QuotaServiceUrl")!);
        Assert.Equal((string?)upstream["local_bind_address"], url.Host);
        Assert.Equal((int)upstream["local_bind_port"]!, url.Port);
    }

    [Fact]
    public void Consul_server_mounts_every_folder_it_reads_and_scripts_deploy_writes_from()
    {
        var mounts = _compose.Service("consul")["volumes"]!.AsArray()
            .Select(v => ((string)v!).Split(':'))
            .ToDictionary(parts => parts[1], parts => parts[0]);
        var configDirs = _compose.Command("consul").Where(a => a.StartsWith("-config-dir=", StringComparison.Ordinal)).Select(a => a["-config-dir=".Length..]).ToList();
        Assert.NotEmpty(configDirs);
        foreach (var dir in configDirs)
        {
            Assert.True(mounts.TryGetValue(dir, out var host), $"-config-dir={dir} is not mounted");
            Assert.NotEmpty(Directory.EnumerateFiles(Repo.Path(host!), "*.json"));
        }
        // scripts/deploy runs "consul config write /consul/imagehub/config-entries/<file>" inside the container.
        Assert.Equal("./infra/consul/config-entries", mounts["/consul/imagehub/config-entries"]);
        Assert.Contains("/consul/imagehub/config-entries/", File.ReadAllText(Repo.Path("scripts/deploy")));
    }

    /// <summary>name:tag where the tag has a digit ("7.4.2-alpine", "v1.35.3"), never "latest".</summary>
    [GeneratedRegex(@"^[a-z0-9./_-]+:(?!latest$)[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*$")]
    private static partial Regex PinnedImage();
}
