using ImageHub.Web.Auth;
using ImageHub.Web.Images;
using Microsoft.Net.Http.Headers;

namespace ImageHub.Web.Apis;

public static class ImagesApi
{
    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        var images = app.MapGroup("/api/images").RequireSession();
        images.MapGet("/", List);
        images.MapPost("/", Upload).DisableAntiforgery();
        images.MapGet("/{id}", Get);
        images.MapDelete("/{id}", Delete);
        images.MapGet("/{id}/content", Content);
        images.MapGet("/{id}/pull", Pull);
        return app;
    }

    private static async Task<IEnumerable<ImageDto>> List(HttpContext http, ImageStore store, CancellationToken ct) =>
        (await store.ListAsync(Tenant(http), ct)).Select(ImageDto.From);

    private static async Task<IResult> Upload(HttpContext http, UploadReceiver receiver, CancellationToken ct)
    {
        var outcome = await receiver.ReceiveAsync(http.Request, Tenant(http), ApiSession.User(http).Username, ct);
        return outcome.Image is { } image
            ? Results.Created($"/api/images/{image.Id}", ImageDto.From(image))
            : ErrorResponses.Problem(outcome.Status, "Upload rejected", outcome.Error);
    }

    private static async Task<IResult> Get(string id, HttpContext http, ImageStore store, CancellationToken ct) =>
        await store.FindAsync(Tenant(http), id, ct) is { } image ? Results.Ok(ImageDto.From(image)) : NotFound(id);

    private static async Task<IResult> Delete(string id, HttpContext http, ImageStore store, ImageLibrary library, CancellationToken ct)
    {
        if (await store.FindAsync(Tenant(http), id, ct) is not { } image) return NotFound(id);
        if (image.Owner != ApiSession.User(http).Username)
            return ErrorResponses.Problem(StatusCodes.Status403Forbidden, "Not your image", "Only the person who uploaded an image can delete it.");
        await library.DeleteAsync(image, ct);
        return Results.NoContent();
    }

    /// <summary>The image for viewing in the page (not counted by the rate limiter).</summary>
    private static Task<IResult> Content(string id, HttpContext http, ImageStore store, BlobStore blobs, CancellationToken ct) =>
        Serve(id, http, store, blobs, download: false, ct);

    /// <summary>The download the rate limiter counts: the exact stored bytes, streamed, as an attachment.</summary>
    private static Task<IResult> Pull(string id, HttpContext http, ImageStore store, BlobStore blobs, CancellationToken ct) =>
        Serve(id, http, store, blobs, download: true, ct);

    private static async Task<IResult> Serve(string id, HttpContext http, ImageStore store, BlobStore blobs, bool download, CancellationToken ct)
    {
        if (await store.FindAsync(Tenant(http), id, ct) is not { } image) return NotFound(id);
        Stream stream;
        try
        {
            stream = blobs.OpenRead(image.Sha256);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ErrorResponses.Problem(StatusCodes.Status404NotFound, "Image bytes missing",
                $"The bytes of image {id} are not in the blob store any more.");
        }
        // Private: the bytes are behind a session. A download is never cached, so every pull reaches the limiter.
        http.Response.Headers.CacheControl = download ? "no-store" : "private, max-age=300";
        return download
            ? Results.File(stream, image.ContentType, TextSanitizer.DownloadName(image.Title, image.Extension))
            : Results.File(stream, image.ContentType, entityTag: new EntityTagHeaderValue($"\"{image.Sha256}\""));
    }

    private static string Tenant(HttpContext http) => RequestIdentity.Of(http).Tenant!.Slug;

    private static IResult NotFound(string id) =>
        ErrorResponses.Problem(StatusCodes.Status404NotFound, "No such image", $"There is no image '{Truncate(id)}' in this tenant.");

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
