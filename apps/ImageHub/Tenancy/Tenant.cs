namespace ImageHub.Web.Tenancy;

public sealed record Tenant(string Slug, string Name);

public static class TenantSlug
{
    public const string Rule = "2 to 32 characters: lowercase letters a-z, digits and '-', starting with a letter";

    public static bool IsValid(string? slug) =>
        slug is { Length: >= 2 and <= 32 } && slug[0] is >= 'a' and <= 'z' &&
        slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
