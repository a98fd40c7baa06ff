namespace ImageHub.Web.Images;

/// <summary>The metadata row of one uploaded image.</summary>
public sealed record ImageRecord(
    string Id,
    string Tenant,
    string Owner,
    string Title,
    string ContentType,
    long Size,
    int Width,
    int Height,
    string Sha256,
    DateTimeOffset Created)
{
    public string Extension => ContentType switch
    {
        "image/png" => ".png",
        "image/gif" => ".gif",
        "image/jpeg" => ".jpg",
        "image/webp" => ".webp",
        _ => "",
    };
}
