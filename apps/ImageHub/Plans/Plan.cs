namespace ImageHub.Web.Plans;

/// <summary>A subscription plan and the pulls per minute it allows (contract: see the repository README).</summary>
public sealed record Plan(string Id, string Name, int LimitPerMinute, string Blurb);

public static class PlanCatalog
{
    public static readonly Plan Personal = new("personal", "Personal", 10, "For trying things out.");
    public static readonly Plan Team = new("team", "Team", 100, "For a team's build pipeline.");
    public static readonly Plan Enterprise = new("enterprise", "Enterprise", 1000, "For fleets that pull all day.");

    public static IReadOnlyList<Plan> All { get; } = [Personal, Team, Enterprise];

    /// <summary>A user with no plan on record is on Personal.</summary>
    public static Plan Default => Personal;

    public static Plan? Find(string? id) => All.FirstOrDefault(p => p.Id == id);

    public static string Choices => string.Join(", ", All.Select(p => p.Id));
}
