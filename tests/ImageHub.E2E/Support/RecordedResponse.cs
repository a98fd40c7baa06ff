using Microsoft.Playwright;

namespace ImageHub.E2E.Support;

/// <summary>What the browser received for one request: copied when it arrives, so a test can look back at it.</summary>
public sealed record RecordedResponse(string Method, Uri Url, int Status, IReadOnlyDictionary<string, string> Headers)
{
    public static RecordedResponse From(IResponse response) =>
        new(response.Request.Method, new Uri(response.Url), response.Status,
            new Dictionary<string, string>(response.Headers, StringComparer.OrdinalIgnoreCase));

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Method} {Url.PathAndQuery} → {Status}";
}
