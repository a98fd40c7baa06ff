using ImageHub.Web.Options;
using Microsoft.Data.Sqlite;

namespace ImageHub.Web.Data;

/// <summary>Opens connections to the app's SQLite file and creates the schema.</summary>
public sealed class Database(DataPaths paths)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = paths.DatabaseFile,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 10,
    }.ToString();

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public async Task CreateSchemaAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        // WAL lets readers go on while an upload commits.
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS tenants (
                slug TEXT PRIMARY KEY,
                name TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS users (
                tenant        TEXT NOT NULL REFERENCES tenants(slug),
                username      TEXT NOT NULL,
                display_name  TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                plan          TEXT NOT NULL,
                created       TEXT NOT NULL,
                PRIMARY KEY (tenant, username)
            );
            CREATE TABLE IF NOT EXISTS images (
                id           TEXT PRIMARY KEY,
                tenant       TEXT NOT NULL REFERENCES tenants(slug),
                owner        TEXT NOT NULL,
                title        TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size         INTEGER NOT NULL,
                width        INTEGER NOT NULL,
                height       INTEGER NOT NULL,
                sha256       TEXT NOT NULL,
                created      TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS images_by_tenant ON images (tenant, created DESC);
            CREATE INDEX IF NOT EXISTS images_by_sha256 ON images (sha256);
            """;
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> IsReachableAsync(CancellationToken ct = default)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM tenants";
            await command.ExecuteScalarAsync(ct);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}
