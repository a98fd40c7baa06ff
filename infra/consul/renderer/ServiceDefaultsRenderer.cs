using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ImageHub.Mesh;

/// <summary>
/// Turns the Wasm filters of the local sidecar's bootstrap into the Consul service-defaults
/// entry that attaches the same modules, with the same configuration strings, to the inbound
/// listener of the service's Envoy sidecar (Consul's builtin/wasm extension).
/// </summary>
public static partial class ServiceDefaultsRenderer
{
    /// <summary>Where infra/docker/envoy-sidecar.Dockerfile puts the modules inside the Envoy image.</summary>
    public const string ImageFilterDirectory = "/etc/envoy/filters";

    public static string Render(string serviceName, IReadOnlyList<WasmFilterSpec> filters, string sourceDescription)
    {
        var extensions = new JsonArray();
        foreach (var filter in filters) extensions.Add(Extension(filter));

        var entry = new JsonObject
        {
            ["Kind"] = "service-defaults",
            ["Name"] = serviceName,
            ["Protocol"] = "http",
            ["Meta"] = new JsonObject { ["rendered-from"] = sourceDescription },
            // Consul inserts each extension's filter just before the router, in list order,
            // so the chain stays the bootstrap's: multi-tenancy, then rate-limit, then router.
            ["EnvoyExtensions"] = extensions,
        };
        return entry.ToJsonString(JsonOptions) + "\n";
    }

    /// <summary>The module's path inside the Envoy image, from its path in the repository.</summary>
    public static string ImagePath(WasmFilterSpec filter)
    {
        if (!BuiltFilterPath().IsMatch(filter.CodePath))
            throw new MeshConfigException(
                $"wasm plugin \"{filter.PluginName}\" loads {filter.CodePath}; the Envoy image only carries modules built at filters/<name>/build/<file>.wasm");
        return $"{ImageFilterDirectory}/{filter.FileName}";
    }

    private static JsonObject Extension(WasmFilterSpec filter)
    {
        var vmConfig = new JsonObject();
        if (filter.VmId.Length > 0) vmConfig["VmID"] = filter.VmId;
        vmConfig["Runtime"] = filter.Runtime;
        vmConfig["Code"] = new JsonObject { ["Local"] = new JsonObject { ["Filename"] = ImagePath(filter) } };

        var plugin = new JsonObject { ["Name"] = filter.PluginName };
        if (filter.RootId.Length > 0) plugin["RootID"] = filter.RootId;
        plugin["VmConfig"] = vmConfig;
        plugin["Configuration"] = filter.Configuration;

        return new JsonObject
        {
            ["Name"] = "builtin/wasm",
            // Required = fail closed: a filter that traps answers 503 instead of being skipped,
            // which is what the bootstrap's fail_open: false means.
            ["Required"] = !filter.FailOpen,
            ["Arguments"] = new JsonObject
            {
                ["Protocol"] = "http",
                ["ListenerType"] = "inbound",
                ["ProxyType"] = "connect-proxy",
                ["PluginConfig"] = plugin,
            },
        };
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [GeneratedRegex(@"^filters/[a-z0-9-]+/build/[a-z0-9-]+\.wasm$")]
    private static partial Regex BuiltFilterPath();
}
