using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ImageHub.Quota.Apis;

/// <summary>
/// Reads a JSON request body by hand instead of through parameter binding, so that an empty
/// body, malformed JSON or a wrongly typed field gets a 400 that says exactly what is wrong.
/// The body (at most <see cref="MaxBytes"/>) is gathered from the request pipe and parsed in
/// one go, which is cheaper than streaming deserialization for bodies this small.
/// </summary>
internal static class JsonBody
{
    public const int MaxBytes = 16 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class
    {
        if (request.ContentLength > MaxBytes) return (null, TooLarge());
        var reader = request.BodyReader;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var body = read.Buffer;
                if (body.Length > MaxBytes)
                {
                    reader.AdvanceTo(body.End);
                    return (null, TooLarge());
                }
                if (!read.IsCompleted)
                {
                    reader.AdvanceTo(body.Start, body.End); // not all here yet: keep it, wait for more
                    continue;
                }
                try
                {
                    return Parse(body, type);
                }
                finally
                {
                    reader.AdvanceTo(body.End);
                }
            }
        }
        catch (BadHttpRequestException ex)
        {
            // The body itself is broken, e.g. cut short by the client.
            return (null, ApiProblems.BadRequest($"The request body could not be read: {ex.Message}"));
        }
    }

    private static (T? Value, IResult? Problem) Parse<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> type) where T : class
    {
        if (body.IsEmpty) return (null, ApiProblems.BadRequest("The request body is empty; a JSON object is required."));
        try
        {
            var json = new Utf8JsonReader(body);
            var value = JsonSerializer.Deserialize(ref json, type);
            if (value is null) return (null, ApiProblems.BadRequest("The request body must be a JSON object, not null."));
            return HasMore(ref json)
                ? (null, ApiProblems.BadRequest("The request body has more after the JSON object; send exactly one object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } path ? $" at {path}" : "";
            var what = ex.Message.Contains("end of data", StringComparison.OrdinalIgnoreCase)
                ? "The request body ends early; a complete JSON object is required."
                : $"The request body is not valid JSON for this endpoint{where}: {FirstSentence(ex.Message)}";
            return (null, ApiProblems.BadRequest(what));
        }
    }

    private static bool HasMore(ref Utf8JsonReader json)
    {
        try
        {
            return json.Read();
        }
        catch (JsonException)
        {
            return true; // the reader refuses a second value outright
        }
    }

    private static IResult TooLarge() => ApiProblems.BadRequest($"The request body is larger than {MaxBytes} bytes.");

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..(cut + 1)] : message;
    }
}
