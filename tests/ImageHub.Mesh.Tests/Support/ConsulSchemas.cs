using static ImageHub.Mesh.Tests.Support.FieldSchema;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>
/// The fields Consul documents for what we write, as allow-lists. Sources (Consul 1.22 docs):
///   config entries: developer.hashicorp.com/consul/docs/reference/config-entry/{proxy-defaults,
///     service-defaults, service-intentions, ingress-gateway} ("Configuration model", HCL and JSON tab);
///   builtin/wasm arguments: /consul/docs/reference/proxy/extensions/wasm ("Configuration model");
///   service definitions: /consul/docs/reference/service, /consul/docs/reference/proxy/connect-proxy
///     and /consul/docs/reference/proxy/sidecar;
///   agent configuration: /consul/docs/reference/agent/configuration-file (only the keys we use).
/// A field missing here is not wrong for Consul, only unchecked: add it with its source.
/// </summary>
public static class ConsulSchemas
{
    private static readonly FieldSchema PassiveHealthCheck =
        Values("Interval", "MaxFailures", "EnforcingConsecutive5xx", "MaxEjectionPercent", "BaseEjectionTime");

    private static readonly FieldSchema Limits = Values("MaxConnections", "MaxPendingRequests", "MaxConcurrentRequests");

    private static readonly FieldSchema Expose = Map(
        ("Checks", Value),
        ("Paths", ListOf(Values("Path", "LocalPathPort", "ListenerPort", "Protocol"))));

    private static readonly FieldSchema TransparentProxy = Values("OutboundListenerPort", "DialedDirectly");

    private static readonly FieldSchema MeshGateway = Values("Mode");

    /// <summary>The Arguments are the extension's own; <see cref="WasmArguments"/> checks builtin/wasm's.</summary>
    public static readonly FieldSchema EnvoyExtension = Map(
        ("Name", Value), ("Required", Value), ("Arguments", FreeMap), ("ConsulVersion", Value), ("EnvoyVersion", Value));

    public static readonly FieldSchema WasmArguments = Map(
        ("Protocol", Value),
        ("ListenerType", Value),
        ("ProxyType", Value),
        ("PluginConfig", Map(
            ("Name", Value),
            ("RootID", Value),
            ("VmConfig", Map(
                ("VmID", Value),
                ("Runtime", Value),
                ("Code", Map(
                    ("Local", Values("Filename")),
                    ("Remote", Map(
                        ("HttpURI", Map(("Service", Values("Name", "Namespace", "Partition")), ("URI", Value), ("Timeout", Value))),
                        ("SHA256", Value),
                        ("RetryPolicy", Map(("RetryBackOff", Values("BaseInterval", "MaxInterval")), ("NumRetries", Value))))))),
                ("Configuration", Value),
                ("EnvironmentVariables", Map(("HostEnvKeys", ListOf(Value)), ("KeyValues", FreeMap))))),
            ("Configuration", Value),
            ("CapabilityRestrictionConfiguration", Map(("AllowedCapabilities", FreeMap))))));

    private static readonly (string, FieldSchema)[] Common =
        [("Kind", Value), ("Name", Value), ("Namespace", Value), ("Partition", Value), ("Meta", FreeMap)];

    private static FieldSchema Entry(params (string, FieldSchema)[] fields) => Map(Common.Concat(fields));

    public static readonly IReadOnlyDictionary<string, FieldSchema> ConfigEntries = new Dictionary<string, FieldSchema>
    {
        ["proxy-defaults"] = Entry(
            ("Config", FreeMap),
            ("EnvoyExtensions", ListOf(EnvoyExtension)),
            ("Mode", Value),
            ("TransparentProxy", TransparentProxy),
            ("MutualTLSMode", Value),
            ("MeshGateway", MeshGateway),
            ("Expose", Expose),
            ("PrioritizeByLocality", Values("Mode")),
            ("AccessLogs", Values("Enabled", "DisableListenerLogs", "Type", "Path", "JSONFormat", "TextFormat"))),

        ["service-defaults"] = Entry(
            ("Protocol", Value),
            ("BalanceInboundConnections", Value),
            ("Mode", Value),
            ("RateLimits", Map(("InstanceLevel", Map(
                ("RequestsPerSecond", Value), ("RequestsMaxBurst", Value),
                ("Routes", ListOf(Values("PathExact", "PathPrefix", "PathRegex", "RequestsPerSecond", "RequestsMaxBurst"))))))),
            ("UpstreamConfig", Map(
                ("Overrides", ListOf(Map(UpstreamSettingsFields()))),
                ("Defaults", Map(UpstreamSettingsFields().Where(f => f.Item1 is not ("Name" or "Namespace" or "Peer")))))),
            ("TransparentProxy", TransparentProxy),
            ("MutualTLSMode", Value),
            ("EnvoyExtensions", ListOf(EnvoyExtension)),
            ("Destination", Map(("Addresses", ListOf(Value)), ("Port", Value))),
            ("MaxInboundConnections", Value),
            ("LocalConnectTimeoutMs", Value),
            ("LocalRequestTimeoutMs", Value),
            ("MeshGateway", MeshGateway),
            ("ExternalSNI", Value),
            ("Expose", Expose)),

        ["service-intentions"] = Entry(
            ("JWT", Map(("Providers", ListOf(Map(
                ("Name", Value),
                ("VerifyClaims", ListOf(Map(("Path", ListOf(Value)), ("Value", Value))))))))),
            ("Sources", ListOf(Map(
                ("Name", Value), ("Peer", Value), ("Namespace", Value), ("Partition", Value), ("SamenessGroup", Value),
                ("Action", Value),
                ("Permissions", ListOf(Map(
                    ("Action", Value),
                    ("HTTP", Map(
                        ("PathExact", Value), ("PathPrefix", Value), ("PathRegex", Value), ("Methods", ListOf(Value)),
                        ("Header", ListOf(Values("Name", "Present", "Exact", "Prefix", "Suffix", "Contains", "Regex", "IgnoreCase", "Invert")))))))),
                ("Precedence", Value), ("Type", Value), ("Description", Value),
                ("LegacyID", Value), ("LegacyMeta", FreeMap), ("LegacyCreateTime", Value), ("LegacyUpdateTime", Value))))),

        ["ingress-gateway"] = Entry(
            ("TLS", GatewayTls),
            ("Defaults", Map(("MaxConnections", Value), ("MaxPendingRequests", Value), ("MaxConcurrentRequests", Value), ("PassiveHealthCheck", PassiveHealthCheck))),
            ("Listeners", ListOf(Map(
                ("Port", Value),
                ("Protocol", Value),
                ("Services", ListOf(Map(
                    ("Name", Value), ("Namespace", Value), ("Partition", Value),
                    ("Hosts", ListOf(Value)),
                    ("RequestHeaders", HeaderRules),
                    ("ResponseHeaders", HeaderRules),
                    ("TLS", Map(("SDS", Values("ClusterName", "CertResource")))),
                    ("MaxConnections", Value), ("MaxPendingRequests", Value), ("MaxConcurrentRequests", Value),
                    ("PassiveHealthCheck", PassiveHealthCheck)))),
                ("TLS", GatewayTls))))),
    };

    private static FieldSchema GatewayTls => Map(
        ("Enabled", Value), ("TLSMinVersion", Value), ("TLSMaxVersion", Value), ("CipherSuites", ListOf(Value)),
        ("SDS", Values("ClusterName", "CertResource")));

    private static FieldSchema HeaderRules => Map(("Add", FreeMap), ("Set", FreeMap), ("Remove", ListOf(Value)));

    private static (string, FieldSchema)[] UpstreamSettingsFields() =>
    [
        ("Name", Value), ("Namespace", Value), ("Peer", Value), ("Protocol", Value), ("ConnectTimeoutMs", Value),
        ("MeshGateway", Values("mode")), ("BalanceOutboundConnections", Value), ("Limits", Limits),
        ("PassiveHealthCheck", PassiveHealthCheck),
    ];

    private static readonly FieldSchema Upstream = Map(
        ("destination_type", Value), ("destination_namespace", Value), ("destination_partition", Value),
        ("destination_peer", Value), ("destination_name", Value), ("datacenter", Value),
        ("local_bind_address", Value), ("local_bind_port", Value), ("local_bind_socket_path", Value),
        ("local_bind_socket_mode", Value), ("config", FreeMap), ("mesh_gateway", Values("mode")));

    private static readonly FieldSchema Proxy = Map(
        ("destination_service_name", Value), ("destination_service_id", Value),
        ("local_service_address", Value), ("local_service_port", Value), ("local_service_socket_path", Value),
        ("mode", Value), ("transparent_proxy", Values("outbound_listener_port", "dialed_directly")),
        ("config", FreeMap), ("upstreams", ListOf(Upstream)), ("mesh_gateway", Values("mode")),
        ("expose", Map(("checks", Value), ("paths", ListOf(Values("path", "local_path_port", "listener_port", "protocol"))))));

    private static readonly (string, FieldSchema)[] ServiceFields =
    [
        ("id", Value), ("name", Value), ("tags", ListOf(Value)), ("address", Value), ("port", Value),
        ("socket_path", Value), ("meta", FreeMap), ("tagged_addresses", FreeMap), ("enable_tag_override", Value),
        ("check", FreeMap), ("checks", ListOf(FreeMap)), ("weights", Values("passing", "warning")), ("token", Value),
        ("namespace", Value), ("partition", Value),
    ];

    /// <summary>A service definition file: {"service": {...}} with a sidecar_service under connect.</summary>
    public static readonly FieldSchema ServiceDefinition = Map(("service", Map(ServiceFields.Concat(
    [
        ("connect", Map(
            ("native", Value),
            // The sidecar_service block takes service fields except id, kind and a nested connect (sidecar reference, "Limitations").
            ("sidecar_service", Map(ServiceFields.Where(f => f.Item1 != "id").Append(("proxy", Proxy)))))),
    ]))));

    /// <summary>The agent configuration keys the server uses.</summary>
    public static readonly FieldSchema AgentConfig = Map(
        ("datacenter", Value), ("node_name", Value), ("server", Value), ("bootstrap_expect", Value),
        ("bind_addr", Value), ("advertise_addr", Value), ("client_addr", Value), ("data_dir", Value),
        ("ui_config", Values("enabled")), ("connect", Values("enabled")),
        ("ports", Values("dns", "http", "https", "grpc", "grpc_tls", "serf_lan", "serf_wan", "server")),
        ("enable_central_service_config", Value), ("log_level", Value));
}
