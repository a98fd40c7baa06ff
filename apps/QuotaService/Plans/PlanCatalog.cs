using System.Text.RegularExpressions;

namespace ImageHub.Quota.Plans;

/// <summary>The plans the service knows, built once from configuration and checked at start.</summary>
public sealed partial class PlanCatalog
{
    private readonly Dictionary<string, Plan> _byId;

    public PlanCatalog(QuotaOptions options)
    {
        var source = options.Plans.Count > 0
            ? options.Plans.Select(p => (Id: p.Key, p.Value.Name, p.Value.LimitPerMinute))
            : [("personal", "Personal", 10), ("team", "Team", 100), ("enterprise", "Enterprise", 1000)];

        var plans = new List<Plan>();
        foreach (var (id, name, limit) in source)
        {
            if (!PlanIdPattern().IsMatch(id))
                throw new InvalidOperationException($"Quota:Plans: plan id '{id}' must be lower-case letters, digits or '-' (at most 32 characters).");
            if (limit < 1)
                throw new InvalidOperationException($"Quota:Plans:{id}:LimitPerMinute must be at least 1 (was {limit}).");
            plans.Add(new Plan(id, string.IsNullOrWhiteSpace(name) ? id : name, limit));
        }

        All = plans.OrderBy(p => p.LimitPerMinute).ThenBy(p => p.Id, StringComparer.Ordinal).ToArray();
        _byId = All.ToDictionary(p => p.Id, StringComparer.Ordinal);
        if (!_byId.TryGetValue(options.DefaultPlan, out var fallback))
            throw new InvalidOperationException($"Quota:DefaultPlan '{options.DefaultPlan}' is not one of the configured plans ({string.Join(", ", _byId.Keys)}).");
        Default = fallback;
    }

    /// <summary>Every plan, smallest limit first.</summary>
    public IReadOnlyList<Plan> All { get; }

    /// <summary>The plan of a user with no plan on record.</summary>
    public Plan Default { get; }

    public bool TryGet(string? id, out Plan plan)
    {
        if (id is not null && _byId.TryGetValue(id, out var found))
        {
            plan = found;
            return true;
        }
        plan = Default;
        return false;
    }

    /// <summary>The plan for a stored id; an id no longer configured falls back to the default plan.</summary>
    public Plan Resolve(string? storedId) => TryGet(storedId, out var plan) ? plan : Default;

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex PlanIdPattern();
}
