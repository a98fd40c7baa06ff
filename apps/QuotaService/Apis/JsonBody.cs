using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace ImageHub.Quota.Apis;

/// <summary>
/// Reads a JSON request body by hand instead of through parameter binding, so that an empty
/// body, malformed JSON or a wrongly typed field gets a 400 that says exactly what is wrong.
/// </summary>
internal static class JsonBody
{
    public const int MaxBytes = 16 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class
    {
        if (request.ContentLength > MaxBytes)
            return (null, ApiProblems.BadRequest($"The request body is larger than {MaxBytes} bytes."));
        // Also caps bodies sent without a length (chunked): the server stops reading past it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } cap)
            cap.MaxRequestBodySize = MaxBytes;
        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken);
            return value is null
                ? (null, ApiProblems.BadRequest("The request body must be a JSON object, not null."))
                : (value, null);
        }
        catch (BadHttpRequestException ex)
        {
            // The body itself is broken: cut short by the client, or larger than the server allows.
            return (null, ApiProblems.BadRequest($"The request body could not be read: {ex.Message}"));
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } path ? $" at {path}" : "";
            var what = ex.Message.Contains("end of data", StringComparison.OrdinalIgnoreCase) || request.ContentLength == 0
                ? "The request body is empty or ends early; a JSON object is required."
                : $"The request body is not valid JSON for this endpoint{where}: {FirstSentence(ex.Message)}";
            return (null, ApiProblems.BadRequest(what));
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..(cut + 1)] : message;
    }
}
