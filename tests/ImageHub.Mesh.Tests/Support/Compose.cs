using System.Net;
using System.Text.Json.Nodes;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>docker-compose.yml as data, with the few questions the tests ask of it.</summary>
public sealed class Compose(JsonObject document)
{
    public static Compose Load() => new(YamlJson.LoadFile(Repo.ComposeFile));

    public JsonObject Services => document["services"]!.AsObject();

    public JsonObject Service(string name) =>
        Services[name]?.AsObject() ?? throw new InvalidDataException($"docker-compose.yml has no service {name}");

    /// <summary>The fixed address of a service on the "mesh" network.</summary>
    public string MeshAddress(string service) =>
        (string?)Service(service)["networks"]?["mesh"]?["ipv4_address"]
        ?? throw new InvalidDataException($"service {service} has no ipv4_address on the mesh network");

    public string MeshSubnet =>
        (string?)document["networks"]?["mesh"]?["ipam"]?["config"]?[0]?["subnet"]
        ?? throw new InvalidDataException("the mesh network has no ipam subnet");

    public IReadOnlyList<string> Command(string service) =>
        Service(service)["command"] is JsonArray list ? list.Select(n => (string)n!).ToList() : [];

    public string? Environment(string service, string name) => (string?)Service(service)["environment"]?[name];

    /// <summary>The value after "-flag" or in "-flag=value" in a consul CLI command line.</summary>
    public static string? Flag(IReadOnlyList<string> command, string flag)
    {
        for (var i = 0; i < command.Count; i++)
        {
            if (command[i] == flag && i + 1 < command.Count) return command[i + 1];
            if (command[i].StartsWith(flag + "=", StringComparison.Ordinal)) return command[i][(flag.Length + 1)..];
        }
        return null;
    }

    /// <summary>The default of a "${NAME:-default}" value, or the value itself.</summary>
    public static string DefaultOf(string value)
    {
        if (!value.StartsWith("${", StringComparison.Ordinal) || !value.EndsWith('}')) return value;
        var separator = value.IndexOf(":-", StringComparison.Ordinal);
        return separator < 0 ? "" : value[(separator + 2)..^1];
    }

    public static bool InSubnet(string address, string cidr)
    {
        var slash = cidr.IndexOf('/');
        var network = IPAddress.Parse(cidr[..slash]).GetAddressBytes();
        var bits = int.Parse(cidr[(slash + 1)..]);
        var candidate = IPAddress.Parse(address).GetAddressBytes();
        for (var i = 0; i < bits; i++)
        {
            var mask = 0x80 >> (i % 8);
            if ((network[i / 8] & mask) != (candidate[i / 8] & mask)) return false;
        }
        return true;
    }
}
