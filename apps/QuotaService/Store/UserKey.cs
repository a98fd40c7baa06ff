using System.Text.RegularExpressions;

namespace ImageHub.Quota.Store;

/// <summary>
/// A user within a tenant, validated. Ids are 1-64 characters of <c>a-z 0-9 . _ @ + -</c>
/// (a superset of the web app's usernames and tenant slugs), compared in lower case (the session token's <c>sub</c> and
/// <c>tenant</c> claims are lower case). The restriction keeps ids safe inside Redis key names
/// (no ':' or braces) and in URLs.
/// </summary>
public readonly partial record struct UserKey(string Tenant, string User)
{
    public const int MaxIdLength = 64;

    public static bool TryCreate(string? tenant, string? user, out UserKey key, out string error)
    {
        key = default;
        if (!TryNormalize("tenant", tenant, out var t, out error) || !TryNormalize("user", user, out var u, out error))
            return false;
        key = new UserKey(t, u);
        return true;
    }

    private static bool TryNormalize(string field, string? value, out string normalized, out string error)
    {
        normalized = "";
        if (string.IsNullOrEmpty(value))
        {
            error = $"'{field}' is required and must not be empty.";
            return false;
        }
        if (value.Length > MaxIdLength)
        {
            error = $"'{field}' is {value.Length} characters long; at most {MaxIdLength} are allowed.";
            return false;
        }
        if (!IdPattern().IsMatch(value))
        {
            error = $"'{field}' may contain only letters, digits and . _ @ + -";
            return false;
        }
        normalized = value.ToLowerInvariant();
        error = "";
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9._@+-]+$")]
    private static partial Regex IdPattern();

    public override string ToString() => $"{Tenant}/{User}";
}
