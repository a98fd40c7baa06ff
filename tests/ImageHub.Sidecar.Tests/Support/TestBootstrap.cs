using ImageHub.Sidecar.Bootstrap;

namespace ImageHub.Sidecar.Tests.Support;

/// <summary>Bootstrap files written to a temporary folder, as a user would write them.</summary>
public static class TestBootstrap
{
    /// <summary>A free TCP port on loopback that nothing listens on (bound and released).</summary>
    public static int UnusedPort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    public static string WriteTemp(string text, string fileName = "bootstrap.yaml")
    {
        var dir = Path.Combine(Path.GetTempPath(), "imagehub-sidecar-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public static BootstrapConfig Parse(string yaml) => BootstrapReader.Load(WriteTemp(yaml));

    /// <summary>
    /// Listener and admin on port 0, one cluster "app" at <paramref name="appPort"/>, the routes
    /// given (YAML list items indented for virtual_hosts[0].routes), the http filters given.
    /// </summary>
    public static string Yaml(int appPort, string? routes = null, string? httpFilters = null, string connectTimeout = "1s", string extraClusters = "") => $$"""
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
        static_resources:
          listeners:
          - name: test_ingress
            address:
              socket_address: { address: 127.0.0.1, port_value: 0 }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: test_ingress
                  route_config:
                    name: test_routes
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
        {{Indent(routes ?? "- match: { prefix: \"/\" }\n  route: { cluster: app, timeout: 2s }", 14)}}
                  http_filters:
        {{Indent((httpFilters ?? "") + "- name: envoy.filters.http.router\n  typed_config:\n    \"@type\": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", 10)}}
          clusters:
          - name: app
            type: STATIC
            connect_timeout: {{connectTimeout}}
            load_assignment:
              cluster_name: app
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address:
                      socket_address: { address: 127.0.0.1, port_value: {{appPort}} }
        {{Indent(extraClusters, 2)}}
        """;

    /// <summary>A wasm http filter entry for <see cref="Yaml"/>.</summary>
    public static string WasmFilter(string name, string file, string configuration = "{}", bool failOpen = false, string? rootId = null) => $$"""
        - name: envoy.filters.http.wasm
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm
            config:
              name: {{name}}
              root_id: "{{rootId ?? name}}"
              fail_open: {{(failOpen ? "true" : "false")}}
              configuration:
                "@type": type.googleapis.com/google.protobuf.StringValue
                value: '{{configuration}}'
              vm_config:
                vm_id: {{name}}
                runtime: envoy.wasm.runtime.v8
                code:
                  local:
                    filename: {{file}}

        """;

    private static string Indent(string text, int spaces)
    {
        var pad = new string(' ', spaces);
        return string.Join("\n", text.Replace("\r", "").TrimEnd('\n').Split('\n').Select(l => l.Length == 0 ? l : pad + l));
    }
}
