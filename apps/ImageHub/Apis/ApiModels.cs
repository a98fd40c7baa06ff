using ImageHub.Web.Images;
using ImageHub.Web.Plans;
using ImageHub.Web.Tenancy;
using ImageHub.Web.Users;

namespace ImageHub.Web.Apis;

public sealed record SignUpRequest(string? Username, string? Password, string? Plan, string? DisplayName);
public sealed record SignInRequest(string? Username, string? Password);
public sealed record PlanChangeRequest(string? Plan);

public sealed record TenantDto(string Slug, string Name)
{
    public static TenantDto From(Tenant t) => new(t.Slug, t.Name);
}

public sealed record PlanDto(string Id, string Name, int LimitPerMinute)
{
    public static PlanDto From(Plan p) => new(p.Id, p.Name, p.LimitPerMinute);
    public static PlanDto For(string id) => From(PlanCatalog.Find(id) ?? PlanCatalog.Default);
}

public sealed record UserDto(string Username, string DisplayName, string Plan)
{
    public static UserDto From(User u) => new(u.Username, u.DisplayName, u.Plan);
}

public sealed record MeDto(TenantDto Tenant, UserDto User, PlanDto Plan);

public sealed record SessionDto(string Token, DateTimeOffset ExpiresAt, UserDto User, PlanDto Plan, string? Warning);

public sealed record ImageDto(
    string Id, string Title, string Owner, string ContentType, long Size, int Width, int Height, string Sha256,
    DateTimeOffset Created, string ContentUrl, string PullUrl)
{
    public static ImageDto From(ImageRecord i) => new(i.Id, i.Title, i.Owner, i.ContentType, i.Size, i.Width, i.Height, i.Sha256,
        i.Created, $"/api/images/{i.Id}/content", $"/api/images/{i.Id}/pull");
}
