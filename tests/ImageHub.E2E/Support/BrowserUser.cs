using ImageHub.Deployment;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageHub.E2E.Support;

/// <summary>
/// One person in one browser profile, with the steps the scenarios share (sign up, upload, open
/// an image, pull, change plan). Every response the page receives is recorded, so a scenario can
/// assert the headers the filters added next to what the page shows.
/// </summary>
public sealed class BrowserUser : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly LocalDeployment _deployment;
    private readonly List<RecordedResponse> _responses = [];
    private readonly Dictionary<IRequest, DateTime> _pending = [];

    public BrowserUser(string label, IBrowserContext context, IPage page, LocalDeployment deployment)
    {
        Label = label;
        _context = context;
        _deployment = deployment;
        Page = page;
        page.Response += (_, response) => { lock (_responses) _responses.Add(RecordedResponse.From(response)); };
        // Requests still waiting when a scenario fails say whether a step timed out on the proxy.
        page.Request += (_, request) => { lock (_pending) _pending[request] = DateTime.UtcNow; };
        page.RequestFinished += (_, request) => { lock (_pending) _pending.Remove(request); };
        page.RequestFailed += (_, request) => { lock (_pending) _pending.Remove(request); };
    }

    public string Label { get; }
    public IPage Page { get; }
    public IBrowserContext Context => _context;

    public IReadOnlyList<RecordedResponse> Responses
    {
        get { lock (_responses) return [.. _responses]; }
    }

    /// <summary>The requests the browser sent that have not finished, with how long they have waited.</summary>
    public IReadOnlyList<string> PendingRequests()
    {
        var now = DateTime.UtcNow;
        lock (_pending)
            return [.. _pending.Select(p => $"{p.Key.Method} {p.Key.Url} (waiting {(now - p.Value).TotalSeconds:0.0} s)")];
    }

    /// <summary>Forgets the responses seen so far, so the next assertion covers only what follows.</summary>
    public void ClearResponses()
    {
        lock (_responses) _responses.Clear();
    }

    public string Url(string tenant, string path) => _deployment.TenantUrl(tenant) + path;

    /// <summary>Navigates and returns the main document's response (after redirects).</summary>
    public async Task<RecordedResponse> GotoAsync(string tenant, string path)
    {
        var response = await Page.GotoAsync(Url(tenant, path))
            ?? throw new InvalidOperationException($"no response for {Url(tenant, path)}");
        return RecordedResponse.From(response);
    }

    public async Task SignUpAsync(string tenant, string username, string plan)
    {
        await GotoAsync(tenant, "/signup");
        await Page.FillAsync("#username", username);
        await Page.FillAsync("#display-name", "E2E " + username);
        await Page.FillAsync("#password", "e2e-password-" + username);
        await Page.CheckAsync($"[data-testid=plan-choice-{plan}]");
        await Page.ClickAsync("#signup-submit");
        await Expect(Page.Locator("#user-name")).ToHaveAttributeAsync("data-username", username);
        await Expect(Page.Locator("#plan-name")).ToHaveAttributeAsync("data-plan", plan);
    }

    /// <summary>Uploads from the gallery page and returns the new image's id (the app opens its page).</summary>
    public async Task<string> UploadAsync(string tenant, string title, byte[] png)
    {
        await GotoAsync(tenant, "/");
        await Page.SetInputFilesAsync("#upload-file", new FilePayload { Name = "e2e.png", MimeType = "image/png", Buffer = png });
        await Page.FillAsync("#upload-title", title);
        await Page.ClickAsync("#upload-submit");
        // Polls the address instead of waiting for a load state: when the redirect has already
        // committed, WaitForURLAsync falls back to waiting for a load event that Playwright may
        // have missed, and that timed out now and then although the page had rendered.
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/images/[^/]+$"));
        await Expect(Page.Locator("#image-title")).ToHaveTextAsync(title);
        return new Uri(Page.Url).Segments[^1];
    }

    /// <summary>Presses Pull on the open image page and waits until the page has shown the answer.</summary>
    public async Task<RecordedResponse> PullAsync()
    {
        var button = Page.Locator("#pull-button");
        await Expect(button).ToBeEnabledAsync();
        var response = await Page.RunAndWaitForResponseAsync(() => button.ClickAsync(),
            r => r.Url.EndsWith("/pull", StringComparison.Ordinal));
        // The button is disabled from the click until the page has handled the whole answer.
        await Expect(button).ToBeEnabledAsync();
        return RecordedResponse.From(response);
    }

    public async Task ChoosePlanAsync(string tenant, string plan)
    {
        await GotoAsync(tenant, "/plan");
        await Page.ClickAsync($"#choose-plan-{plan}");
        await Expect(Page.Locator("[data-testid=plan-notice]")).ToBeVisibleAsync();
        await Expect(Page.Locator("#plan-name")).ToHaveAttributeAsync("data-plan", plan);
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
