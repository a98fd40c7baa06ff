using ImageHub.Web.Data;

namespace ImageHub.Web.Tenancy;

public sealed class TenantStore(Database database)
{
    public async Task<Tenant?> FindAsync(string slug, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT slug, name FROM tenants WHERE slug = $slug", ("$slug", slug));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new Tenant(reader.GetString(0), reader.GetString(1)) : null;
    }

    public async Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT slug, name FROM tenants ORDER BY slug");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tenants = new List<Tenant>();
        while (await reader.ReadAsync(ct)) tenants.Add(new Tenant(reader.GetString(0), reader.GetString(1)));
        return tenants;
    }

    /// <summary>Creates the tenant, or renames it when it exists.</summary>
    public async Task UpsertAsync(Tenant tenant, CancellationToken ct = default)
    {
        if (!TenantSlug.IsValid(tenant.Slug)) throw new ArgumentException($"'{tenant.Slug}' is not a valid tenant slug ({TenantSlug.Rule}).");
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO tenants (slug, name) VALUES ($slug, $name) ON CONFLICT(slug) DO UPDATE SET name = excluded.name",
            ("$slug", tenant.Slug), ("$name", string.IsNullOrWhiteSpace(tenant.Name) ? tenant.Slug : tenant.Name.Trim()));
        await command.ExecuteNonQueryAsync(ct);
    }
}
