using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Tests.Support;

namespace ImageHub.Sidecar.Tests;

public class BootstrapReaderTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ImageHub.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ImageHub.sln not found above the test folder");
    }

    private static BootstrapException Invalid(string yaml) =>
        Assert.Throws<BootstrapException>(() => TestBootstrap.Parse(yaml));

    [Fact]
    public void The_project_bootstrap_reads_without_warnings()
    {
        var path = Path.Combine(RepoRoot(), "infra", "envoy", "imagehub-sidecar.yaml");
        var config = BootstrapReader.Load(path);

        Assert.Empty(config.Warnings);
        Assert.Equal(new HostAndPort("127.0.0.1", 9901), config.Admin!.Address);
        var listener = Assert.Single(config.Listeners);
        Assert.Equal(new HostAndPort("0.0.0.0", 8080), listener.Address);
        var host = Assert.Single(listener.Http.RouteConfig.VirtualHosts);
        Assert.Equal(["*"], host.Domains);
        Assert.Equal("imagehub", host.Routes[0].Route!.Cluster);

        var filters = listener.Http.HttpFilters;
        Assert.Equal(3, filters.Count);
        var tenancy = Assert.IsType<WasmFilterConfig>(filters[0]);
        var rateLimit = Assert.IsType<WasmFilterConfig>(filters[1]);
        Assert.IsType<RouterFilterConfig>(filters[2]);
        Assert.Equal("multi-tenancy", tenancy.PluginName);
        Assert.Equal("rate-limit", rateLimit.PluginName);
        // Relative code paths resolve against the bootstrap's folder, not the working directory.
        Assert.Equal(Path.Combine(RepoRoot(), "filters", "multi-tenancy", "build", "multi-tenancy.wasm"), tenancy.CodePath);
        Assert.StartsWith("{", tenancy.Configuration.Trim());
        System.Text.Json.JsonDocument.Parse(tenancy.Configuration).Dispose();
        System.Text.Json.JsonDocument.Parse(rateLimit.Configuration).Dispose();

        Assert.Equal(new HostAndPort("127.0.0.1", 5080), Assert.Single(config.FindCluster("imagehub")!.Endpoints));
        Assert.Equal(new HostAndPort("127.0.0.1", 5090), Assert.Single(config.FindCluster("quota")!.Endpoints));
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.FindCluster("quota")!.ConnectTimeout);
    }

    [Fact]
    public void Json_bootstrap_reads_like_yaml()
    {
        var json = """
            {
              "admin": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": 9901 } } },
              "static_resources": {
                "listeners": [{
                  "name": "in",
                  "address": { "socket_address": { "address": "0.0.0.0", "port_value": 8080 } },
                  "filter_chains": [{ "filters": [{
                    "name": "envoy.filters.network.http_connection_manager",
                    "typed_config": {
                      "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                      "stat_prefix": "in",
                      "route_config": { "virtual_hosts": [{ "name": "v", "domains": ["*"],
                        "routes": [{ "match": { "safe_regex": { "regex": "/api/.*" } }, "route": { "cluster": "c", "timeout": "0.25s" } }] }] },
                      "http_filters": [{ "name": "envoy.filters.http.router" }]
                    } }] }]
                }],
                "clusters": [{ "name": "c", "type": "STRICT_DNS", "connect_timeout": "2s",
                  "load_assignment": { "cluster_name": "c", "endpoints": [{ "lb_endpoints": [
                    { "endpoint": { "address": { "socket_address": { "address": "localhost", "port_value": 5080 } } } } ] }] } }]
              }
            }
            """;
        var config = BootstrapReader.Load(TestBootstrap.WriteTemp(json, "bootstrap.json"));

        var route = config.Listeners[0].Http.RouteConfig.VirtualHosts[0].Routes[0];
        Assert.Equal("/api/.*", route.Match.SafeRegex);
        Assert.Equal(TimeSpan.FromMilliseconds(250), route.Route!.Timeout);
        Assert.Equal(ClusterDiscoveryType.StrictDns, config.Clusters[0].Type);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Clusters[0].ConnectTimeout);
    }

    [Fact]
    public void Unknown_fields_are_warnings_with_their_full_path()
    {
        var yaml = TestBootstrap.Yaml(5080).Replace("stat_prefix: test_ingress", "stat_prefix: test_ingress\n          foo: 1");
        var config = TestBootstrap.Parse(yaml);

        Assert.Contains("static_resources.listeners[0].filter_chains[0].filters[0].typed_config.foo: not supported, ignored", config.Warnings);
    }

    [Fact]
    public void Defaults_follow_envoy()
    {
        var config = TestBootstrap.Parse(TestBootstrap.Yaml(5080, routes: "- match: { prefix: \"/\" }\n  route: { cluster: app }"));
        Assert.Equal(TimeSpan.FromSeconds(15), config.Listeners[0].Http.RouteConfig.VirtualHosts[0].Routes[0].Route!.Timeout);
    }

    [Fact]
    public void A_route_to_an_unknown_cluster_is_an_error_at_its_path()
    {
        var e = Invalid(TestBootstrap.Yaml(5080, routes: "- match: { prefix: \"/\" }\n  route: { cluster: nowhere }"));
        Assert.Contains(e.Errors, m => m.StartsWith("static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.cluster:")
            && m.Contains("nowhere"));
    }

    [Fact]
    public void An_http_filter_that_cannot_run_is_an_error()
    {
        var e = Invalid(TestBootstrap.Yaml(5080, httpFilters: "- name: envoy.filters.http.lua\n  typed_config: { \"@type\": x }\n"));
        Assert.Contains(e.Errors, m => m.Contains("http_filters[0].name") && m.Contains("envoy.filters.http.lua cannot run"));
    }

    [Fact]
    public void The_router_must_be_last()
    {
        var yaml = TestBootstrap.Yaml(5080, httpFilters: "- name: envoy.filters.http.router\n" + TestBootstrap.WasmFilter("a", "a.wasm"));
        var e = Invalid(yaml);
        Assert.Contains(e.Errors, m => m.Contains("router must be the last filter"));
    }

    [Fact]
    public void The_null_runtime_is_refused_and_other_configuration_types_too()
    {
        var yaml = TestBootstrap.Yaml(5080, httpFilters: TestBootstrap.WasmFilter("a", "a.wasm")
            .Replace("envoy.wasm.runtime.v8", "envoy.wasm.runtime.null")
            .Replace("google.protobuf.StringValue", "google.protobuf.Struct"));
        var e = Invalid(yaml);
        Assert.Contains(e.Errors, m => m.EndsWith("config.vm_config.runtime: envoy.wasm.runtime.null runs plugins compiled into Envoy; this sidecar runs .wasm code only"));
        Assert.Contains(e.Errors, m => m.Contains("config.configuration.@type: only type.googleapis.com/google.protobuf.StringValue is supported"));
    }

    [Fact]
    public void Wasm_filter_configuration_and_paths_are_read()
    {
        var config = TestBootstrap.Parse(TestBootstrap.Yaml(5080, httpFilters: TestBootstrap.WasmFilter("tenancy", "sub/t.wasm", "{\"a\":1}", failOpen: true)));
        var filter = Assert.IsType<WasmFilterConfig>(config.Listeners[0].Http.HttpFilters[0]);
        Assert.Equal("tenancy", filter.PluginName);
        Assert.Equal("tenancy", filter.RootId);
        Assert.Equal("tenancy", filter.VmId);
        Assert.Equal("{\"a\":1}", filter.Configuration);
        Assert.True(filter.FailOpen);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(config.SourcePath)!, "sub", "t.wasm"), filter.CodePath);
    }

    [Theory]
    [InlineData("connect_timeout: 1s", "connect_timeout: soon", "static_resources.clusters[0].connect_timeout: must be a duration")]
    [InlineData("type: STATIC", "type: EDS", "static_resources.clusters[0].type: EDS is not supported")]
    [InlineData("address: 127.0.0.1, port_value: 0 }", "address: 127.0.0.1, port_value: 70000 }", "admin.address.socket_address.port_value: must be between 0 and 65535")]
    [InlineData("cluster_name: app", "cluster_name: other", "static_resources.clusters[0].load_assignment.cluster_name: must equal")]
    public void Bad_values_are_errors_with_their_path(string from, string to, string expected)
    {
        var yaml = TestBootstrap.Yaml(5080);
        var index = yaml.IndexOf(from, StringComparison.Ordinal);
        Assert.True(index >= 0, $"test yaml has no '{from}'");
        var e = Invalid(yaml[..index] + to + yaml[(index + from.Length)..]);
        Assert.Contains(e.Errors, m => m.StartsWith(expected));
    }

    [Fact]
    public void A_static_cluster_needs_ip_addresses()
    {
        var e = Invalid(TestBootstrap.Yaml(5080).Replace("address: 127.0.0.1, port_value: 5080", "address: app.internal, port_value: 5080"));
        Assert.Contains(e.Errors, m => m.Contains("clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address: a STATIC cluster needs IP addresses"));
    }

    [Fact]
    public void A_route_needs_exactly_one_match_kind_and_one_action()
    {
        var e = Invalid(TestBootstrap.Yaml(5080, routes: "- match: { prefix: \"/\", path: \"/x\" }\n  route: { cluster: app }\n- match: { prefix: \"/\" }"));
        Assert.Contains(e.Errors, m => m.Contains("routes[0].match: needs exactly one of prefix, path and safe_regex"));
        Assert.Contains(e.Errors, m => m.Contains("routes[1]: needs a route or a direct_response action"));
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var yaml = TestBootstrap.Yaml(5080, routes: "- match: { prefix: \"/\" }\n  route: { cluster: nowhere, timeout: later }");
        var e = Invalid(yaml.Replace("type: STATIC", "type: EDS"));
        Assert.True(e.Errors.Count >= 3, string.Join("\n", e.Errors));
        Assert.Contains("invalid bootstrap", e.Message);
    }

    [Fact]
    public void Malformed_yaml_names_the_line()
    {
        var e = Invalid("admin:\n  address: [unclosed\nstatic_resources: {}\n");
        Assert.Contains("not valid YAML (line", Assert.Single(e.Errors));
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        var e = Invalid("static_resources: {}\nstatic_resources: {}\n");
        Assert.Contains("static_resources: duplicate key", Assert.Single(e.Errors));
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var e = Assert.Throws<BootstrapException>(() => BootstrapReader.Load(Path.Combine(Path.GetTempPath(), "no-such-bootstrap.yaml")));
        Assert.Contains("cannot read the file", e.Message);
    }

    [Theory]
    [InlineData("15s", 15_000)]
    [InlineData("0.250s", 250)]
    [InlineData("0s", 0)]
    public void Durations_use_protobuf_json(string text, int milliseconds)
    {
        Assert.True(ProtoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("15")]
    [InlineData("1m")]
    [InlineData("-1s")]
    public void Durations_without_seconds_suffix_are_refused(string text) => Assert.False(ProtoDuration.TryParse(text, out _));
}

public class BootstrapDocumentTests
{
    [Fact]
    public void Numbers_set_in_code_read_like_numbers_from_a_file()
    {
        var path = TestBootstrap.WriteTemp(TestBootstrap.Yaml(5080));
        var document = ConfigDocument.Load(path);
        document["admin"]!["address"]!["socket_address"]!["port_value"] = 9902;
        var config = BootstrapReader.Read(document, path);
        Assert.Equal(9902, config.Admin!.Address.Port);
    }
}
