namespace ImageHub.Quota.Plans;

/// <summary>The <c>Quota</c> configuration section.</summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Quota";

    /// <summary>
    /// Redis connection string (<c>host:port,password=...,user=...,db=0,timeoutMs=500,connectTimeoutMs=1000</c>).
    /// Empty: the embedded in-memory store is used.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>The plan of a user with no plan on record.</summary>
    public string DefaultPlan { get; set; } = "personal";

    /// <summary>Plans by id. Empty: the contract's defaults (personal 10, team 100, enterprise 1000 per minute).</summary>
    public Dictionary<string, PlanOptions> Plans { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The largest <c>cost</c> one request may ask for; larger is a 400.</summary>
    public int MaxCost { get; set; } = 1000;
}

public sealed class PlanOptions
{
    public string? Name { get; set; }
    public int LimitPerMinute { get; set; }
}
