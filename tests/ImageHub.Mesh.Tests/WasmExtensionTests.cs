using System.Text.Json.Nodes;
using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>The builtin/wasm extensions of the service-defaults entries, and the modules they load.</summary>
public class WasmExtensionTests
{
    private static IEnumerable<(string Service, string Protocol, JsonObject Extension)> Extensions() =>
        Repo.ConfigEntryFiles.Select(Repo.ReadJson)
            .Where(e => e["EnvoyExtensions"] is JsonArray)
            .SelectMany(e => e["EnvoyExtensions"]!.AsArray().Select(x => ((string)e["Name"]!, (string?)e["Protocol"] ?? "tcp", x!.AsObject())));

    [Fact]
    public void ImageHub_runs_multi_tenancy_then_rate_limit_on_its_inbound_listener()
    {
        var imagehub = Extensions().Where(e => e.Service == "imagehub").Select(e => e.Extension).ToList();
        var names = imagehub.Select(e => (string?)e["Arguments"]!["PluginConfig"]!["Name"]).ToList();
        // More filters may join (filters/README.md, "a third filter"); the tenant must be known before the quota is counted.
        Assert.Contains("multi-tenancy", names);
        Assert.Contains("rate-limit", names);
        Assert.True(names.IndexOf("multi-tenancy") < names.IndexOf("rate-limit"), "multi-tenancy must run before rate-limit: " + string.Join(", ", names));
        Assert.All(imagehub, e => Assert.Equal("inbound", (string?)e["Arguments"]!["ListenerType"]));
    }

    [Fact]
    public void Every_extension_is_a_valid_builtin_wasm_extension()
    {
        var all = Extensions().ToList();
        Assert.NotEmpty(all);
        foreach (var (service, protocol, extension) in all)
        {
            Assert.Equal("builtin/wasm", (string?)extension["Name"]);
            var problems = WasmArgumentsCheck.Problems(extension["Arguments"]!.AsObject(), protocol);
            Assert.True(problems.Count == 0, $"{service}: " + string.Join("; ", problems));
        }
    }

    [Fact]
    public void Invalid_wasm_arguments_are_reported()
    {
        var arguments = JsonNode.Parse("""
            {"Protocol": "tcp", "ListenerType": "sideways", "PluginConfig": {"RootId": "x",
             "VmConfig": {"Runtime": "v9", "Code": {"Local": {"Filename": "build/x.wasm"}, "Remote": {"HttpURI": {"URI": "http://f/x.wasm"}, "SHA256": "abc"}}}}}
            """)!.AsObject();
        var problems = WasmArgumentsCheck.Problems(arguments, "http");
        Assert.Contains("$.PluginConfig.RootId: not a documented field", problems);
        Assert.Contains(problems, p => p.StartsWith("Protocol \"tcp\" differs"));
        Assert.Contains("ListenerType must be \"inbound\" or \"outbound\"", problems);
        Assert.Contains(problems, p => p.StartsWith("VmConfig.Runtime \"v9\""));
        Assert.Contains("VmConfig.Code must have exactly one of Local.Filename and Remote", problems);
        Assert.Contains(problems, p => p.StartsWith("Local.Filename \"build/x.wasm\" must be an absolute path"));
        Assert.Contains(problems, p => p.StartsWith("Remote needs both"));
        Assert.Contains(problems, p => p.StartsWith("Remote needs SHA256"));
    }
}
