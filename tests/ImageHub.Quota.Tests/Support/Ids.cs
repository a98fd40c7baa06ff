namespace ImageHub.Quota.Tests.Support;

/// <summary>Fresh tenant names, so tests sharing one Redis server never see each other's keys.</summary>
public static class Ids
{
    public static string NewTenant() => "t" + Guid.NewGuid().ToString("N")[..12];
}
