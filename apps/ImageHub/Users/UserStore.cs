using ImageHub.Web.Data;
using Microsoft.Data.Sqlite;

namespace ImageHub.Web.Users;

public sealed class UserStore(Database database)
{
    public async Task<User?> FindAsync(string tenant, string username, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT tenant, username, display_name, password_hash, plan, created FROM users WHERE tenant = $tenant AND username = $username",
            ("$tenant", tenant), ("$username", username));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new User(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.ReadTimestamp(5));
    }

    /// <summary>Returns false when the username is taken in this tenant.</summary>
    public async Task<bool> TryCreateAsync(User user, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO users (tenant, username, display_name, password_hash, plan, created) VALUES ($tenant, $username, $name, $hash, $plan, $created)",
            ("$tenant", user.Tenant), ("$username", user.Username), ("$name", user.DisplayName), ("$hash", user.PasswordHash),
            ("$plan", user.Plan), ("$created", SqliteExtensions.Timestamp(user.Created)));
        try
        {
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the primary key exists
        {
            return false;
        }
    }

    public async Task SetPlanAsync(string tenant, string username, string plan, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "UPDATE users SET plan = $plan WHERE tenant = $tenant AND username = $username",
            ("$tenant", tenant), ("$username", username), ("$plan", plan));
        await command.ExecuteNonQueryAsync(ct);
    }
}
