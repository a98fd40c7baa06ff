using System.Security.Cryptography;
using System.Text;

namespace ImageHub.Quota.Redis;

/// <summary>
/// A Lua script run by its SHA-1 (<c>EVALSHA</c>), so each call sends a few bytes instead of the
/// source. When the server does not know it (<c>NOSCRIPT</c>: first use, after a restart or
/// <c>SCRIPT FLUSH</c>) the call is repeated with <c>EVAL</c>, which also caches it again.
/// </summary>
public sealed class RedisScript(string source)
{
    public string Source { get; } = source;
    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));

    public async Task<RedisReply> EvaluateAsync(IRedisClient client, IReadOnlyList<string> keys, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        try
        {
            return await client.ExecuteAsync(Command("EVALSHA", Sha1, keys, arguments), cancellationToken);
        }
        catch (RedisServerErrorException ex) when (ex.Prefix == "NOSCRIPT")
        {
            return await client.ExecuteAsync(Command("EVAL", Source, keys, arguments), cancellationToken);
        }
    }

    private static string[] Command(string verb, string script, IReadOnlyList<string> keys, IReadOnlyList<string> arguments)
    {
        var command = new string[3 + keys.Count + arguments.Count];
        command[0] = verb;
        command[1] = script;
        command[2] = keys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < keys.Count; i++) command[3 + i] = keys[i];
        for (var i = 0; i < arguments.Count; i++) command[3 + keys.Count + i] = arguments[i];
        return command;
    }
}
