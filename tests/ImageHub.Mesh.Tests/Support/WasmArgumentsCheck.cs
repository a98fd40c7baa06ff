using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>
/// The value rules Consul's builtin/wasm extension applies when it decodes its Arguments
/// (Consul docs, reference/proxy/extensions/wasm: required fields and allowed values), so a
/// bad entry is caught here rather than by a proxy that silently lacks its filter.
/// </summary>
public static partial class WasmArgumentsCheck
{
    private static readonly string[] Runtimes = ["v8", "wamr", "wavm", "wasmtime"];

    public static IReadOnlyList<string> Problems(JsonObject arguments, string serviceProtocol)
    {
        var problems = new List<string>(ConsulSchemas.WasmArguments.Undocumented(arguments));
        var protocol = (string?)arguments["Protocol"];
        if (protocol is not ("tcp" or "http")) problems.Add($"Protocol must be \"tcp\" or \"http\", not \"{protocol}\"");
        else if (protocol != serviceProtocol) problems.Add($"Protocol \"{protocol}\" differs from the service's protocol \"{serviceProtocol}\": Consul would not apply the filter");
        if ((string?)arguments["ListenerType"] is not ("inbound" or "outbound")) problems.Add("ListenerType must be \"inbound\" or \"outbound\"");
        if ((string?)arguments["ProxyType"] is not (null or "connect-proxy")) problems.Add("ProxyType can only be \"connect-proxy\"");

        var plugin = arguments["PluginConfig"] as JsonObject;
        if (plugin is null) { problems.Add("PluginConfig is required"); return problems; }
        var vm = plugin["VmConfig"];
        var runtime = (string?)vm?["Runtime"] ?? "v8";
        if (!Runtimes.Contains(runtime)) problems.Add($"VmConfig.Runtime \"{runtime}\" is not one of {string.Join(", ", Runtimes)}");

        var local = (string?)vm?["Code"]?["Local"]?["Filename"];
        var remote = vm?["Code"]?["Remote"];
        var hasLocal = !string.IsNullOrEmpty(local);
        var hasRemote = remote is not null;
        if (hasLocal == hasRemote) problems.Add("VmConfig.Code must have exactly one of Local.Filename and Remote");
        if (hasLocal && !local!.StartsWith('/')) problems.Add($"Local.Filename \"{local}\" must be an absolute path inside the Envoy container (Envoy reads it as a plain path)");
        if (hasRemote)
        {
            if (string.IsNullOrEmpty((string?)remote!["HttpURI"]?["Service"]?["Name"]) || string.IsNullOrEmpty((string?)remote["HttpURI"]?["URI"]))
                problems.Add("Remote needs both HttpURI.Service.Name (an upstream of the proxy) and HttpURI.URI");
            if (!Sha256().IsMatch((string?)remote["SHA256"] ?? "")) problems.Add("Remote needs SHA256: 64 hex digits of the module");
        }
        if (plugin["Configuration"] is not null and not JsonValue) problems.Add("PluginConfig.Configuration must be a string (Consul passes it to the plugin as a StringValue)");
        return problems;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256();
}
