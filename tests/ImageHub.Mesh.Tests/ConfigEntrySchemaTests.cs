using System.Text.Json;
using System.Text.Json.Nodes;
using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>Every Consul file parses and uses only fields documented for its kind.</summary>
public class ConfigEntrySchemaTests
{
    public static TheoryData<string> EntryFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Repo.ConfigEntryFiles) data.Add(Path.GetFileName(file));
        return data;
    }

    public static TheoryData<string> ServiceFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Repo.ServiceDefinitions).Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(EntryFiles))]
    public void Config_entry_uses_only_documented_fields(string file)
    {
        Assert.EndsWith(".json", file);
        var entry = Repo.ReadJson(Path.Combine(Repo.Layout.ConfigEntries, file));
        var kind = (string?)entry["Kind"];
        Assert.True(kind is not null && ConsulSchemas.ConfigEntries.ContainsKey(kind), $"{file}: Kind \"{kind}\" is not one of {string.Join(", ", ConsulSchemas.ConfigEntries.Keys)}");
        Assert.False(string.IsNullOrEmpty((string?)entry["Name"]), $"{file}: Name is required");
        var undocumented = ConsulSchemas.ConfigEntries[kind].Undocumented(entry);
        Assert.True(undocumented.Count == 0, $"{file}:\n" + string.Join("\n", undocumented));
    }

    [Theory]
    [MemberData(nameof(ServiceFiles))]
    public void Service_definition_uses_only_documented_fields(string file)
    {
        var definition = Repo.ReadJson(Path.Combine(Repo.ServiceDefinitions, file));
        var undocumented = ConsulSchemas.ServiceDefinition.Undocumented(definition);
        Assert.True(undocumented.Count == 0, $"{file}:\n" + string.Join("\n", undocumented));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), (string?)definition["service"]!["name"]);
    }

    [Fact]
    public void Agent_configuration_uses_only_the_checked_keys()
    {
        var agent = Repo.ReadJson(Repo.Path("infra/consul/agent/server.json"));
        Assert.Empty(ConsulSchemas.AgentConfig.Undocumented(agent));
        // Envoy gets its configuration over plaintext gRPC (xDS); Connect must be on.
        Assert.True((bool)agent["connect"]!["enabled"]!);
        Assert.True((int)agent["ports"]!["grpc"]! > 0);
    }

    [Fact]
    public void A_misspelled_or_misplaced_field_is_reported_with_its_path()
    {
        var entry = JsonNode.Parse("""
            {"Kind": "ingress-gateway", "Name": "g", "Listners": [],
             "Listeners": [{"Port": 8080, "Services": [{"Name": "a", "Host": ["x"]}], "TLS": {"Enabled": true, "SNI": 1}}]}
            """)!;
        var undocumented = ConsulSchemas.ConfigEntries["ingress-gateway"].Undocumented(entry);
        Assert.Equal(
            ["$.Listners: not a documented field", "$.Listeners[0].Services[0].Host: not a documented field", "$.Listeners[0].TLS.SNI: not a documented field"],
            undocumented);
    }

    [Fact]
    public void A_map_where_a_value_belongs_is_reported()
    {
        var entry = JsonNode.Parse("""{"Kind": "service-defaults", "Name": "s", "Protocol": {"http": true}, "Meta": {"anything": "goes"}}""")!;
        Assert.Equal(["$.Protocol: expected a plain value, found a map"], ConsulSchemas.ConfigEntries["service-defaults"].Undocumented(entry));
    }

    [Fact]
    public void A_file_that_is_not_json_fails_to_parse_with_the_position()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mesh-entry-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"Kind\": \"proxy-defaults\",, }");
        try
        {
            var error = Assert.ThrowsAny<JsonException>(() => Repo.ReadJson(path));
            Assert.Contains("LineNumber: 0", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
