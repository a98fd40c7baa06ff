namespace ImageHub.Web.Auth;

/// <summary>What a username, display name and password must look like, with the messages a user sees.</summary>
public static class AccountRules
{
    public const string UsernameRule = "3 to 32 characters: lowercase letters a-z, digits, '-' and '_'";
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;

    public static string? CheckUsername(string? username)
    {
        if (string.IsNullOrEmpty(username)) return "Choose a username.";
        if (username.Length is < 3 or > 32) return $"The username must be {UsernameRule}.";
        foreach (var c in username)
        {
            if (c is >= 'A' and <= 'Z') return "Use lowercase letters only in the username.";
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
                return $"The username may only contain lowercase letters a-z, digits, '-' and '_' (found '{c}').";
        }
        return null;
    }

    public static string? CheckPassword(string? password)
    {
        if (string.IsNullOrEmpty(password)) return "Choose a password.";
        if (password.Length < MinPasswordLength) return $"The password must be at least {MinPasswordLength} characters.";
        if (password.Length > MaxPasswordLength) return $"The password must be at most {MaxPasswordLength} characters.";
        return null;
    }

    /// <summary>Display names are free text, kept short and without control characters.</summary>
    public static string CleanDisplayName(string? displayName, string username)
    {
        var cleaned = Images.TextSanitizer.SingleLine(displayName, 64);
        return cleaned.Length == 0 ? username : cleaned;
    }
}
