using System.Runtime.CompilerServices;
using ImageHub.Deployment;
using Microsoft.Playwright;

namespace ImageHub.E2E.Support;

/// <summary>
/// One local deployment (Redis, quota service, app, sidecar with both filters; free ports, a
/// temporary data folder) and one chromium for the whole collection. Starting the deployment is
/// the slow part, so every scenario shares it and signs up its own users.
/// </summary>
public sealed class DeploymentFixture : IAsyncLifetime
{
    private readonly List<string> _progress = [];
    private IPlaywright? _playwright;
    private int _failures;

    public RepositoryLayout Layout { get; } = RepositoryLayout.Find();
    public LocalDeployment Deployment { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots and page HTML of failed scenarios (the folder is ignored by git).</summary>
    public string ResultsDirectory => Path.Combine(Layout.Root, "test-results", "e2e");

    public async Task InitializeAsync()
    {
        var options = DeploymentOptions.Isolated() with { Progress = line => { lock (_progress) _progress.Add(line); } };
        try
        {
            Deployment = await LocalDeployment.StartAsync(options, Layout);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            throw new InvalidOperationException(
                $"The local deployment did not start (the suite runs what scripts/build produced; run it first).\n" +
                $"{string.Join('\n', _progress)}\n{e.Message}\nlogs: {Path.Combine(options.DataDirectory, "logs")}", e);
        }
        try
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await ChromiumLauncher.LaunchAsync(_playwright);
            Assertions.SetDefaultExpectTimeout(10_000);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs one scenario. When it fails, every page it opened is saved (screenshot + HTML) and the
    /// files are named in the failure, with the deployment's log folder.
    /// </summary>
    public async Task RunAsync(Func<Scenario, Task> body, [CallerMemberName] string name = "")
    {
        await using var scenario = new Scenario(this, name);
        try
        {
            await body(scenario);
        }
        catch (Exception failure)
        {
            Interlocked.Increment(ref _failures);
            var saved = await scenario.SaveArtifactsAsync(ResultsDirectory);
            throw new ScenarioFailedException(name, failure, saved, Deployment.LogDirectory);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (Deployment is null) return;
        await Deployment.DisposeAsync();
        // Keep the data and logs of a failed run for the person reading the failure.
        if (_failures == 0)
        {
            try { Directory.Delete(Deployment.Options.DataDirectory, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>Every scenario class joins this collection, so they share one deployment and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class LocalDeploymentCollection : ICollectionFixture<DeploymentFixture>
{
    public const string Name = "local deployment";
}
