using System.Text.Json.Nodes;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>The repository the tests check, and the files of the mesh inside it.</summary>
public static class Repo
{
    public static RepositoryLayout Layout { get; } = RepositoryLayout.Find(AppContext.BaseDirectory);

    public static string Root => Layout.Root;

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    public static string ComposeFile => Path("docker-compose.yml");

    public static string DockerDirectory => Path("infra/docker");

    public static string ServiceDefinitions => Path("infra/consul/services");

    public static IEnumerable<string> ConfigEntryFiles =>
        Directory.EnumerateFiles(Layout.ConfigEntries).Order(StringComparer.Ordinal);

    public static JsonObject ReadJson(string path) =>
        JsonNode.Parse(File.ReadAllText(path)) as JsonObject
        ?? throw new InvalidDataException($"{Layout.Relative(path)} is not a JSON object");

    /// <summary>The config entry of the given kind and name, from infra/consul/config-entries.</summary>
    public static JsonObject Entry(string kind, string name) =>
        ConfigEntryFiles.Select(ReadJson).SingleOrDefault(e => (string?)e["Kind"] == kind && (string?)e["Name"] == name)
        ?? throw new InvalidDataException($"no {kind} entry named {name} in infra/consul/config-entries");

    /// <summary>The "service" block of infra/consul/services/&lt;name&gt;.json.</summary>
    public static JsonObject ServiceDefinition(string name) =>
        ReadJson(System.IO.Path.Combine(ServiceDefinitions, name + ".json"))["service"]!.AsObject();
}
