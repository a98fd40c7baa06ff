using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ImageHub.Filters.Tests.Support;

/// <summary>
/// Signs session tokens the way the web app does (README, "Session token": compact JWT, HS256,
/// key = UTF-8 bytes of the text secret). This is the app's side of the contract, so tests can
/// hand the filter valid, expired, forged and malformed tokens.
/// </summary>
internal static class SessionTokens
{
    public const string SigningKey = "test-signing-key-with-at-least-32-characters";

    public static string Sign(DateTimeOffset now, string user = "alice", string tenant = "acme", string plan = "personal",
        TimeSpan? lifetime = null, string key = SigningKey)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = user, ["name"] = user, ["tenant"] = tenant, ["plan"] = plan,
            ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = (now + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
        };
        return SignRaw("""{"alg":"HS256","typ":"JWT"}""", JsonSerializer.Serialize(claims), key);
    }

    /// <summary>Signs any header and payload text, well-formed or not.</summary>
    public static string SignRaw(string headerJson, string payloadJson, string key = SigningKey)
    {
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url(Encoding.UTF8.GetBytes(payloadJson));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url(signature);
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
