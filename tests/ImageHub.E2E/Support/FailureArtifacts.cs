using Microsoft.Playwright;

namespace ImageHub.E2E.Support;

/// <summary>Saves what a page showed when a scenario failed: a full-page screenshot and its HTML.</summary>
public static class FailureArtifacts
{
    public static async Task<IReadOnlyList<string>> SaveAsync(IPage page, string stem)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(stem)!);
        var saved = new List<string>();
        // A page that crashed or closed cannot give a screenshot; its HTML may still come, so try both.
        try
        {
            await page.ScreenshotAsync(new() { Path = stem + ".png", FullPage = true, Timeout = 5_000 });
            saved.Add(stem + ".png");
        }
        catch (PlaywrightException e) { saved.Add($"(no screenshot: {e.Message.Split('\n')[0]})"); }
        try
        {
            await File.WriteAllTextAsync(stem + ".html", $"<!-- {page.Url} -->\n" + await page.ContentAsync());
            saved.Add(stem + ".html");
        }
        catch (PlaywrightException e) { saved.Add($"(no HTML: {e.Message.Split('\n')[0]})"); }
        return saved;
    }
}
