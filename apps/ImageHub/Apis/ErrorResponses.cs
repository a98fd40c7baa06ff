using ImageHub.Web.Ui;

namespace ImageHub.Web.Apis;

/// <summary>Errors speak the caller's language: problem+json under /api, an HTML page elsewhere.</summary>
public static class ErrorResponses
{
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    public static IResult Problem(int status, string title, string? detail = null) =>
        Results.Problem(title: title, detail: detail, statusCode: status);

    public static IResult For(HttpContext context, int status, string title, string? detail = null) =>
        IsApi(context.Request)
            ? Problem(status, title, detail)
            : Ui.Pages.ErrorPage.Render(context, status, title, detail);

    public static Task WriteAsync(HttpContext context, int status, string title, string? detail = null) =>
        For(context, status, title, detail).ExecuteAsync(context);
}
