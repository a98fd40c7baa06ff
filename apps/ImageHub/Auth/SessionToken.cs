using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ImageHub.Web.Auth;

/// <summary>
/// Issues and checks the session token: a compact JWT signed with HS256, nothing else.
/// Written by hand (about a page) so that the exact format the filters must verify is visible:
/// <c>base64url({"alg":"HS256","typ":"JWT"}) . base64url(claims) . base64url(HMAC-SHA256(key, first two parts))</c>,
/// claims <c>sub name tenant plan iat exp</c> (iat/exp in Unix seconds).
/// Only HS256 is accepted: the algorithm in the header is checked, never trusted, so
/// <c>alg: none</c> and algorithm-confusion tokens are rejected.
/// </summary>
public sealed class SessionToken(SigningKey key, TimeProvider clock)
{
    private static readonly string HeaderSegment =
        Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    /// <summary>Tokens issued by a host whose clock runs a little ahead are still accepted.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public string Issue(SessionClaims claims)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = claims.Subject,
            ["name"] = claims.Name,
            ["tenant"] = claims.Tenant,
            ["plan"] = claims.Plan,
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["exp"] = claims.ExpiresAt.ToUnixTimeSeconds(),
        });
        var signingInput = HeaderSegment + "." + Base64Url.EncodeToString(payload);
        return signingInput + "." + Base64Url.EncodeToString(Sign(signingInput));
    }

    public SessionClaims CreateClaims(string username, string displayName, string tenant, string plan, TimeSpan lifetime)
    {
        // Whole seconds, so that a claims record survives a round trip through a token unchanged.
        var now = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());
        return new SessionClaims(username, displayName, tenant, plan, now, now + lifetime);
    }

    public TokenCheck Validate(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return TokenCheck.Missing;
        var parts = token.Split('.');
        if (parts.Length != 3) return TokenCheck.Fail("The token is not a compact JWT (three dot-separated parts).");

        JsonElement header, payload;
        try
        {
            // Deserialize (not JsonDocument.Parse) gives elements that own their memory: nothing to dispose.
            header = JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(parts[0]));
            payload = JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(parts[1]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return TokenCheck.Fail("The token is not valid base64url JSON.");
        }

        if (header.ValueKind != JsonValueKind.Object ||
            !header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String ||
            alg.GetString() != "HS256")
            return TokenCheck.Fail("Only HS256 tokens are accepted.");

        // Compare the text of the signature, not its decoded bytes: base64url has several spellings
        // of the same bytes (the unused low bits of the last character), and only the canonical one is valid.
        var expected = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(Sign(parts[0] + "." + parts[1])));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
            return TokenCheck.Fail("The token signature does not match.");

        if (payload.ValueKind != JsonValueKind.Object ||
            ReadString(payload, "sub") is not { } sub ||
            ReadString(payload, "tenant") is not { } tenant ||
            ReadString(payload, "plan") is not { } plan ||
            ReadSeconds(payload, "exp") is not { } exp ||
            ReadSeconds(payload, "iat") is not { } iat)
            return TokenCheck.Fail("The token lacks a required claim (sub, tenant, plan, iat, exp).");

        var now = clock.GetUtcNow();
        if (exp <= now) return TokenCheck.Fail("The token has expired.");
        if (iat > now + ClockSkew) return TokenCheck.Fail("The token was issued in the future.");

        var name = ReadString(payload, "name") ?? sub;
        return TokenCheck.Ok(new SessionClaims(sub, name, tenant, plan, iat, exp));
    }

    private byte[] Sign(string signingInput) =>
        HMACSHA256.HashData(key.Bytes, Encoding.ASCII.GetBytes(signingInput));

    private static string? ReadString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static DateTimeOffset? ReadSeconds(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var seconds) &&
        seconds is >= 0 and < 253402300800 // year 10000: DateTimeOffset's limit
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}

/// <summary>The outcome of checking a token: missing, invalid (with the reason), or valid.</summary>
public sealed record TokenCheck(SessionClaims? Claims, string? Error)
{
    public static readonly TokenCheck Missing = new(null, null);
    public static TokenCheck Ok(SessionClaims claims) => new(claims, null);
    public static TokenCheck Fail(string error) => new(null, error);
    public bool IsValid => Claims is not null;
}
