using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>The mesh's authorization: edge to imagehub, imagehub to quota, nothing else.</summary>
public class IntentionTests
{
    private static IReadOnlyList<(string Destination, string Source, string Action)> Intentions() =>
        Repo.ConfigEntryFiles.Select(Repo.ReadJson)
            .Where(e => (string?)e["Kind"] == "service-intentions")
            .SelectMany(e => e["Sources"]!.AsArray().Select(s => ((string)e["Name"]!, (string)s!["Name"]!, (string)s["Action"]!)))
            .ToList();

    [Fact]
    public void Everything_is_denied_unless_allowed()
    {
        Assert.Contains(("*", "*", "deny"), Intentions());
    }

    [Fact]
    public void Only_the_two_documented_paths_are_allowed()
    {
        var allowed = Intentions().Where(i => i.Action == "allow").Select(i => $"{i.Source} -> {i.Destination}").Order().ToList();
        Assert.Equal(["imagehub -> quota", "ingress-gateway -> imagehub"], allowed);
    }

    [Fact]
    public void Every_intention_names_a_service_of_the_mesh()
    {
        var known = new HashSet<string> { "*", (string)Repo.Entry("ingress-gateway", "ingress-gateway")["Name"]! };
        foreach (var file in Directory.EnumerateFiles(Repo.ServiceDefinitions)) known.Add((string)Repo.ReadJson(file)["service"]!["name"]!);
        Assert.All(Intentions(), i =>
        {
            Assert.Contains(i.Destination, known);
            Assert.Contains(i.Source, known);
            Assert.Contains(i.Action, new[] { "allow", "deny" });
        });
    }
}
