using System.Globalization;

namespace ImageHub.Quota.Redis;

/// <summary>
/// Where and how to connect, parsed from a connection string in the familiar
/// StackExchange.Redis style: <c>host:port[,password=...][,user=...][,db=N][,timeoutMs=N][,connectTimeoutMs=N]</c>.
/// The port defaults to 6379. Unknown options are an error, so a typo never goes unnoticed.
/// </summary>
public sealed record RedisClientOptions
{
    public required string Host { get; init; }
    public int Port { get; init; } = 6379;
    public string? User { get; init; }
    public string? Password { get; init; }
    public int Database { get; init; }

    /// <summary>How long a command may wait for its reply before the connection is declared dead.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long opening a connection (TCP, AUTH, SELECT) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>First wait after a failed connect; doubles per failure up to <see cref="MaxReconnectBackoff"/>.</summary>
    public TimeSpan ReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxReconnectBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>"host:port db N", without secrets, for logs and error messages.</summary>
    public string Endpoint => $"{Host}:{Port} db {Database}";

    public static RedisClientOptions Parse(string connectionString)
    {
        var parts = connectionString.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || parts[0].Length == 0)
            throw new FormatException("The Redis connection string must start with host:port, e.g. 127.0.0.1:6379.");

        var (host, port) = ParseEndpoint(parts[0]);
        var options = new RedisClientOptions { Host = host, Port = port };
        foreach (var part in parts.Skip(1))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new FormatException($"Redis connection string option '{part}' is not name=value.");
            var name = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            options = name.ToLowerInvariant() switch
            {
                "password" => options with { Password = value },
                "user" => options with { User = value },
                "db" => options with { Database = ParseNumber(name, value, 0, 1_000_000) },
                "timeoutms" => options with { Timeout = TimeSpan.FromMilliseconds(ParseNumber(name, value, 1, 600_000)) },
                "connecttimeoutms" => options with { ConnectTimeout = TimeSpan.FromMilliseconds(ParseNumber(name, value, 1, 600_000)) },
                _ => throw new FormatException(
                    $"Unknown Redis connection string option '{name}'; known: password, user, db, timeoutMs, connectTimeoutMs."),
            };
        }
        return options;
    }

    private static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon < 0) return (endpoint, 6379);
        var host = endpoint[..colon].Trim('[', ']');
        if (host.Length == 0) throw new FormatException($"Redis endpoint '{endpoint}' has no host.");
        return (host, ParseNumber("port", endpoint[(colon + 1)..], 1, 65535));
    }

    private static int ParseNumber(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
            throw new FormatException($"Redis connection string option '{name}' must be a whole number from {min} to {max} (was '{value}').");
        return number;
    }
}
