using ImageHub.Web.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ImageHub.Web.Images;

/// <summary>The result of an upload: the stored image, or why nothing was stored.</summary>
public sealed record UploadOutcome(ImageRecord? Image, int Status, string? Error)
{
    public static UploadOutcome Stored(ImageRecord image) => new(image, StatusCodes.Status201Created, null);
    public static UploadOutcome Rejected(int status, string error) => new(null, status, error);
}

/// <summary>
/// Reads a multipart upload (a <c>file</c> part and an optional <c>title</c> part) straight from
/// the request body into a temp blob, without buffering the form. The size limit is counted on
/// the bytes, the type is judged from the bytes, and a rejected upload leaves nothing behind.
/// </summary>
public sealed class UploadReceiver(BlobStore blobs, ImageLibrary library, IOptions<ImageHubOptions> options)
{
    private const int MaxTitlePartBytes = 4096;
    /// <summary>Room for the multipart boundaries, headers and the title around the file itself.</summary>
    private const long EnvelopeBytes = 64 * 1024;

    public long MaxBytes => options.Value.MaxUploadBytes;

    public async Task<UploadOutcome> ReceiveAsync(HttpRequest request, string tenant, string owner, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) ||
            !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
            HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            return UploadOutcome.Rejected(StatusCodes.Status415UnsupportedMediaType,
                "Send the image as multipart/form-data with a 'file' part.");

        if (request.ContentLength > MaxBytes + EnvelopeBytes) return TooLarge();
        var sizeLimit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false }) sizeLimit.MaxRequestBodySize = MaxBytes + EnvelopeBytes;

        using var pending = blobs.CreatePending();
        var gotFile = false;
        string? title = null, fileName = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "file" && !gotFile)
                {
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    if (!await pending.WriteAsync(section.Body, MaxBytes, ct)) return TooLarge();
                    gotFile = true;
                }
                else if (name == "title")
                {
                    title = await ReadSmallTextAsync(section.Body, ct);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            return UploadOutcome.Rejected(StatusCodes.Status400BadRequest, $"The multipart body could not be read: {e.Message}");
        }

        if (!gotFile) return UploadOutcome.Rejected(StatusCodes.Status400BadRequest, "The form has no 'file' part: choose an image to upload.");

        ImageInfo? info;
        await using (var bytes = pending.OpenRead()) info = ImageFormat.Detect(bytes);
        if (info is null)
            return UploadOutcome.Rejected(StatusCodes.Status415UnsupportedMediaType,
                "That file is not a PNG, JPEG, GIF or WebP image (judged by its contents, not its name).");

        var cleanTitle = TextSanitizer.SingleLine(title, 100);
        if (cleanTitle.Length == 0) cleanTitle = TextSanitizer.TitleFromFileName(fileName);
        if (cleanTitle.Length == 0) cleanTitle = "Untitled";

        var image = await library.AddAsync(tenant, owner, cleanTitle, info, pending, ct);
        return UploadOutcome.Stored(image);
    }

    private UploadOutcome TooLarge() => UploadOutcome.Rejected(StatusCodes.Status413PayloadTooLarge,
        $"The image is larger than the limit of {Describe(MaxBytes)}.");

    public static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MiB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KiB",
        _ => $"{bytes} bytes",
    };

    private static async Task<string> ReadSmallTextAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxTitlePartBytes];
        var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        await body.CopyToAsync(Stream.Null, ct); // skip whatever is longer than a title can be
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }
}
