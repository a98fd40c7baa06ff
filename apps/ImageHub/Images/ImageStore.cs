using ImageHub.Web.Data;
using Microsoft.Data.Sqlite;

namespace ImageHub.Web.Images;

/// <summary>Image metadata in SQLite. Every query that takes an id also takes the tenant,
/// so an id from another tenant finds nothing.</summary>
public sealed class ImageStore(Database database)
{
    private const string Columns = "id, tenant, owner, title, content_type, size, width, height, sha256, created";

    public async Task InsertAsync(ImageRecord image, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            $"INSERT INTO images ({Columns}) VALUES ($id, $tenant, $owner, $title, $type, $size, $width, $height, $sha, $created)",
            ("$id", image.Id), ("$tenant", image.Tenant), ("$owner", image.Owner), ("$title", image.Title),
            ("$type", image.ContentType), ("$size", image.Size), ("$width", image.Width), ("$height", image.Height),
            ("$sha", image.Sha256), ("$created", SqliteExtensions.Timestamp(image.Created)));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<ImageRecord?> FindAsync(string tenant, string id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM images WHERE tenant = $tenant AND id = $id", ("$tenant", tenant), ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ImageRecord>> ListAsync(string tenant, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM images WHERE tenant = $tenant ORDER BY created DESC, id", ("$tenant", tenant));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var images = new List<ImageRecord>();
        while (await reader.ReadAsync(ct)) images.Add(Read(reader));
        return images;
    }

    /// <summary>Deletes the row and says whether any other row (in any tenant) still uses the same bytes.</summary>
    public async Task<bool> DeleteAsync(string tenant, string id, string sha256, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using (var delete = connection.Command("DELETE FROM images WHERE tenant = $tenant AND id = $id", ("$tenant", tenant), ("$id", id)))
        {
            delete.Transaction = transaction;
            await delete.ExecuteNonQueryAsync(ct);
        }
        long remaining;
        await using (var count = connection.Command("SELECT count(*) FROM images WHERE sha256 = $sha", ("$sha", sha256)))
        {
            count.Transaction = transaction;
            remaining = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        await transaction.CommitAsync(ct);
        return remaining > 0;
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT count(*) FROM images");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static ImageRecord Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        r.GetInt64(5), r.GetInt32(6), r.GetInt32(7), r.GetString(8), r.ReadTimestamp(9));
}
