namespace ImageHub.Web.Ui.Pages;

public static class ErrorPage
{
    public static IResult Render(HttpContext context, int status, string title, string? detail) =>
        Layout.Page(context, title, Html.Of($"""
            <section class="card narrow center" data-testid="error-page">
              <p class="status-code">{status}</p>
              <h1 id="error-title">{title}</h1>
              <p class="muted" id="error-detail">{detail}</p>
              <p><a class="button" href="/">Back to the start</a></p>
            </section>
            """), status);
}
