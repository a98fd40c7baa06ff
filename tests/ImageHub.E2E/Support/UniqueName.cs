namespace ImageHub.E2E.Support;

/// <summary>Usernames no earlier scenario (or earlier run against the same deployment) has taken.</summary>
public static class UniqueName
{
    public static string For(string person) => $"{person}-{Guid.NewGuid().ToString("N")[..8]}";
}
