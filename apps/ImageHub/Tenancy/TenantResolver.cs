using System.Net;
using ImageHub.Web.Options;
using Microsoft.Extensions.Options;

namespace ImageHub.Web.Tenancy;

/// <summary>The outcome of finding a request's tenant: a tenant, none asked for, or an error with its status.</summary>
public sealed record TenantResolution(Tenant? Tenant, int ErrorStatus, string? Error)
{
    public static readonly TenantResolution NoneRequested = new(null, 0, null);
}

/// <summary>
/// Which tenant a request is for. With <c>ImageHub:TrustSidecarHeaders</c> on it is the
/// <c>x-imagehub-tenant</c> header (set by the sidecar's tenancy filter, which strips any copy a client
/// sent); off, it is the first label of the Host (<c>acme.localhost</c> → <c>acme</c>).
/// See apps/ImageHub/README.md, "Trust model".
/// </summary>
public sealed class TenantResolver(TenantStore tenants, IOptions<ImageHubOptions> options)
{
    public const string TenantHeader = "x-imagehub-tenant";

    public async Task<TenantResolution> ResolveAsync(HttpRequest request, CancellationToken ct)
    {
        string slug;
        if (options.Value.TrustSidecarHeaders)
        {
            var header = request.Headers[TenantHeader].ToString().Trim();
            if (header.Length == 0)
                return new(null, StatusCodes.Status400BadRequest,
                    $"The request has no {TenantHeader} header. The app trusts the sidecar for the tenant (ImageHub:TrustSidecarHeaders=true); reach it through the sidecar.");
            slug = header.ToLowerInvariant();
        }
        else
        {
            var host = request.Host.Host;
            // A bare host (localhost, an IP address) names no tenant: the start page lists them.
            if (host.Length == 0 || IPAddress.TryParse(host.Trim('[', ']'), out _) || !host.Contains('.'))
                return TenantResolution.NoneRequested;
            slug = host[..host.IndexOf('.')].ToLowerInvariant();
        }

        var tenant = TenantSlug.IsValid(slug) ? await tenants.FindAsync(slug, ct) : null;
        return tenant is null
            ? new(null, StatusCodes.Status404NotFound, $"There is no tenant '{Truncate(slug)}' here.")
            : new(tenant, 0, null);
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
