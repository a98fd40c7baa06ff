namespace ImageHub.Quota.Apis;

// The wire shapes of the quota API (README, "Contracts between the parts").

public sealed record ConsumeRequest(string? Tenant, string? User, int? Cost);

public sealed record ConsumeResponse(bool Allowed, string Plan, int Limit, int Remaining, int ResetSeconds);

public sealed record SetPlanRequest(string? Plan);

public sealed record UserPlanResponse(string Tenant, string User, string Plan, int Limit);

public sealed record PlanResponse(string Id, string Name, int LimitPerMinute);
