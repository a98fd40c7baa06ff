using ImageHub.Web.Images;
using ImageHub.Web.Plans;
using ImageHub.Web.Users;

namespace ImageHub.Web.Ui.Pages;

public static class ImagePage
{
    public static IResult Render(HttpContext context, ImageRecord image, User user, string? error = null, int status = StatusCodes.Status200OK)
    {
        var plan = PlanCatalog.Find(user.Plan) ?? PlanCatalog.Default;
        var isOwner = image.Owner == user.Username;
        var delete = Html.When(isOwner, Html.Of($"""
            <form method="post" action="/images/{image.Id}/delete" class="inline-form" data-confirm="Delete “{image.Title}”?">
              <button type="submit" class="button button-danger" id="delete-button" data-testid="delete-button">Delete</button>
            </form>
            """));
        return Layout.Page(context, image.Title, Html.Of($"""
            <p class="breadcrumb"><a href="/">← Gallery</a></p>
            {Layout.Alert(error)}
            <section class="image-layout">
              <figure class="card image-view">
                <img src="/api/images/{image.Id}/content" alt="{image.Title}" id="image-preview" data-testid="image-preview" width="{image.Width}" height="{image.Height}">
              </figure>
              <aside class="stack">
                <div class="card">
                  <h1 class="image-heading" id="image-title" data-testid="image-title">{image.Title}</h1>
                  <dl class="facts">
                    <dt>Size</dt><dd id="image-dimensions" data-testid="image-dimensions">{image.Width} × {image.Height} px</dd>
                    <dt>Type</dt><dd id="image-type">{image.ContentType}</dd>
                    <dt>Bytes</dt><dd>{Format.Bytes(image.Size)}</dd>
                    <dt>Owner</dt><dd id="image-owner" data-testid="image-owner">{image.Owner}</dd>
                    <dt>Uploaded</dt><dd>{Format.Date(image.Created)}</dd>
                    <dt>SHA-256</dt><dd class="mono small" title="{image.Sha256}">{image.Sha256[..16]}…</dd>
                  </dl>
                  <div class="actions">
                    <button type="button" class="button button-primary" id="pull-button" data-testid="pull-button"
                      data-pull-url="/api/images/{image.Id}/pull" data-download-name="{TextSanitizer.DownloadName(image.Title, image.Extension)}">Pull</button>
                    {delete}
                  </div>
                </div>
                <div class="card ratelimit" id="ratelimit-panel" data-testid="ratelimit-panel" aria-live="polite">
                  <h2>Pulls</h2>
                  <p class="muted small">Your plan: <strong id="ratelimit-plan" data-testid="ratelimit-plan" data-plan="{plan.Id}">{plan.Name}</strong>
                    — {plan.LimitPerMinute} pulls per minute.</p>
                  <dl class="facts">
                    <dt>Limit</dt><dd id="ratelimit-limit" data-testid="ratelimit-limit">–</dd>
                    <dt>Remaining</dt><dd id="ratelimit-remaining" data-testid="ratelimit-remaining">–</dd>
                    <dt>Resets in</dt><dd id="ratelimit-reset" data-testid="ratelimit-reset">–</dd>
                  </dl>
                  <div class="meter" aria-hidden="true"><span id="ratelimit-meter"></span></div>
                  <p id="ratelimit-message" data-testid="ratelimit-message" class="ratelimit-message muted small">Press Pull to download the image; the rate limiter's answer shows here.</p>
                  <p id="pull-status" data-testid="pull-status" class="small muted"></p>
                </div>
              </aside>
            </section>
            """), status);
    }
}
