using System.Text.Json.Nodes;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>The filters' JSON configurations as the Consul entry for imagehub carries them.</summary>
public static class FilterConfigs
{
    public static JsonObject PluginConfig(string plugin) =>
        Repo.Entry("service-defaults", "imagehub")["EnvoyExtensions"]!.AsArray()
            .Select(e => e!["Arguments"]!["PluginConfig"]!.AsObject())
            .SingleOrDefault(p => (string?)p["Name"] == plugin)
            ?? throw new InvalidDataException($"the imagehub service-defaults entry has no wasm plugin \"{plugin}\"");

    /// <summary>The plugin's configuration string, parsed: it must itself be JSON.</summary>
    public static JsonObject Configuration(string plugin) =>
        JsonNode.Parse((string)PluginConfig(plugin)["Configuration"]!)!.AsObject();
}
