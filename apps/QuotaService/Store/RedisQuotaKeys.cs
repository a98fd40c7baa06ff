namespace ImageHub.Quota.Store;

/// <summary>
/// Key names. The tenant is the hash tag (<c>{acme}</c>) so one script's keys share a cluster
/// slot; ids cannot contain ':' or braces (see <see cref="UserKey"/>), so names never collide.
/// Plans have no TTL (they are records); a user's log expires one window after their last
/// grant, so idle users cost nothing.
/// </summary>
internal static class RedisQuotaKeys
{
    public static string Plans(string tenant) => $"quota:{{{tenant}}}:plans";
    public static string Log(UserKey user) => $"quota:{{{user.Tenant}}}:log:{user.User}";
}
