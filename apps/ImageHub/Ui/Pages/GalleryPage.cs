using ImageHub.Web.Images;

namespace ImageHub.Web.Ui.Pages;

public static class GalleryPage
{
    public static IResult Render(HttpContext context, IReadOnlyList<ImageRecord> images, long maxUploadBytes,
        string? error = null, int status = StatusCodes.Status200OK, string? notice = null)
    {
        var cards = Html.Join(images.Select(image => Html.Of($"""
            <a class="card image-card" href="/images/{image.Id}" data-testid="image-card" data-image-id="{image.Id}">
              <span class="thumb"><img src="/api/images/{image.Id}/content" alt="{image.Title}" loading="lazy"></span>
              <span class="image-card-body">
                <strong class="image-title">{image.Title}</strong>
                <span class="muted small">{image.Width} × {image.Height} · {Format.Bytes(image.Size)} · {image.Owner}</span>
              </span>
            </a>
            """)));
        var grid = images.Count == 0
            ? Html.Of($"""<div class="empty" id="gallery-empty" data-testid="gallery-empty">No images yet. Upload the first one.</div>""")
            : Html.Of($"""<div class="gallery" id="gallery" data-testid="gallery">{cards}</div>""");
        return Layout.Page(context, "Gallery", Html.Of($"""
            <section class="page-head">
              <div>
                <h1>Gallery</h1>
                <p class="muted"><span id="image-count" data-testid="image-count">{images.Count}</span> image{(images.Count == 1 ? "" : "s")} in {Ui.Format.TenantName(context)}</p>
              </div>
            </section>
            {Layout.Alert(notice, "info", "gallery-notice")}
            <section class="card upload-card">
              <form method="post" action="/images" enctype="multipart/form-data" class="upload-form" id="upload-form" data-testid="upload-form">
                <label class="dropzone" id="dropzone">
                  <input type="file" name="file" id="upload-file" data-testid="upload-file" accept="image/png,image/jpeg,image/gif,image/webp" required>
                  <span class="dropzone-icon" aria-hidden="true">↑</span>
                  <span class="dropzone-text" id="upload-file-label">Choose or drop an image <span class="muted">— PNG, JPEG, GIF or WebP, up to {UploadReceiver.Describe(maxUploadBytes)}</span></span>
                </label>
                <input name="title" id="upload-title" data-testid="upload-title" maxlength="100" placeholder="Title (optional)">
                <button type="submit" class="button button-primary" id="upload-submit" data-testid="upload-submit">Upload</button>
              </form>
              {Layout.Alert(error, "error", "upload-error")}
            </section>
            {grid}
            """), status);
    }
}
