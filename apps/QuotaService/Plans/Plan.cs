namespace ImageHub.Quota.Plans;

/// <summary>A plan: how many units a user may consume in any sliding 60-second window.</summary>
public sealed record Plan(string Id, string Name, int LimitPerMinute);
