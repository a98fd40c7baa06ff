using System.Security.Cryptography;
using System.Text;

namespace ImageHub.Web.Tests.Support;

/// <summary>Builds JWTs independently of the app's own code, straight from the README contract,
/// so that the tests check the format and not just the app agreeing with itself.</summary>
public static class TestTokens
{
    public static string Encode(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sign(string headerJson, string payloadJson, string key)
    {
        var input = Encode(headerJson) + "." + Encode(payloadJson);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(input));
        return input + "." + Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string Claims(string sub, string tenant, string plan, long iat, long exp, string? name = null) =>
        $$"""{"sub":"{{sub}}","name":"{{name ?? sub}}","tenant":"{{tenant}}","plan":"{{plan}}","iat":{{iat}},"exp":{{exp}}}""";

    public const string Hs256Header = """{"alg":"HS256","typ":"JWT"}""";

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
