namespace ImageHub.E2E.Support;

/// <summary>The browsers one scenario opened (one per person), closed when it ends.</summary>
public sealed class Scenario(DeploymentFixture fixture, string name) : IAsyncDisposable
{
    private readonly List<BrowserUser> _users = [];

    public string Name { get; } = name;

    public string TenantUrl(string tenant) => fixture.Deployment.TenantUrl(tenant);

    /// <summary>A fresh browser profile (own cookies), e.g. one per tenant user; <paramref name="label"/> names its saved pages.</summary>
    public async Task<BrowserUser> OpenBrowserAsync(string label)
    {
        var context = await fixture.Browser.NewContextAsync(new() { AcceptDownloads = true });
        context.SetDefaultTimeout(15_000);
        var user = new BrowserUser(label, context, await context.NewPageAsync(), fixture.Deployment);
        _users.Add(user);
        return user;
    }

    public async Task<IReadOnlyList<string>> SaveArtifactsAsync(string directory)
    {
        var saved = new List<string>();
        foreach (var user in _users)
        {
            var stem = Path.Combine(directory, $"{Name}-{user.Label}");
            saved.AddRange(await FailureArtifacts.SaveAsync(user.Page, stem));
            foreach (var pending in user.PendingRequests()) saved.Add($"{user.Label}: unfinished request {pending}");
        }
        return saved;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var user in _users) await user.DisposeAsync();
    }
}
