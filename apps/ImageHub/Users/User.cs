namespace ImageHub.Web.Users;

public sealed record User(string Tenant, string Username, string DisplayName, string PasswordHash, string Plan, DateTimeOffset Created);
