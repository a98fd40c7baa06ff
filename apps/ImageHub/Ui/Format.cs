using ImageHub.Web.Auth;

namespace ImageHub.Web.Ui;

public static class Format
{
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MiB",
    };

    public static string TenantName(HttpContext context) => RequestIdentity.Of(context).Tenant?.Name ?? "";

    public static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'");
}
