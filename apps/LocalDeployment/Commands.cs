using ImageHub.Deployment.Verify;

namespace ImageHub.Deployment;

/// <summary>The verbs behind scripts/demo and scripts/verify.</summary>
public static class Commands
{
    public static int Usage()
    {
        Console.Error.WriteLine("usage: imagehub-local demo | verify [--url http://acme.localhost:8080]");
        return 2;
    }

    public static async Task<int> DemoAsync()
    {
        var layout = RepositoryLayout.Find();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

        await using var deployment = await LocalDeployment.StartAsync(
            DeploymentOptions.Demo(Path.Combine(layout.Root, ".data")), layout, stop.Token);
        Console.WriteLine($"""

            ImageHub is running behind its sidecar (both filters loaded). Open:
              {deployment.TenantUrl("acme")}      tenant acme
              {deployment.TenantUrl("globex")}    tenant globex
              {deployment.AdminUrl}/filters       sidecar admin: loaded filters
            Demo users in each tenant, password "imagehub-demo":
              alice (Personal, 10 pulls/min), bob (Team, 100), carol (Enterprise, 1000)
            Quota store: {deployment.QuotaStore}. Logs: {deployment.LogDirectory}
            Press Ctrl-C to stop.
            """);
        try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
        Console.WriteLine("stopping…");
        return 0;
    }

    public static async Task<int> VerifyAsync(string? url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var report = new CheckReport(Console.Out);
        if (url is not null)
        {
            Console.WriteLine($"verifying {url}");
            await RunChecksAsync(new HeaderChecks(new TenantClient(http, new Uri(url)), report), report);
            return report.Failed == 0 ? 0 : 1;
        }

        var options = DeploymentOptions.Isolated();
        try
        {
            LocalDeployment deployment;
            try { deployment = await LocalDeployment.StartAsync(options); }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                report.Expect("the local deployment starts", false, e.Message);
                report.WriteSummary();
                return 1;
            }
            await using var _ = deployment;
            Console.WriteLine($"verifying the local deployment at {deployment.TenantUrl("acme")}");
            var checks = new HeaderChecks(new TenantClient(http, new Uri(deployment.TenantUrl("acme"))), report)
            {
                StopQuotaService = deployment.StopQuotaServiceAsync,
            };
            await RunChecksAsync(checks, report);
        }
        finally
        {
            if (report.Failed == 0) TryDelete(options.DataDirectory);
            else Console.WriteLine($"logs kept in {Path.Combine(options.DataDirectory, "logs")}");
        }
        return report.Failed == 0 ? 0 : 1;
    }

    /// <summary>A check run that stops on an exception still ends with the closing line, counting it as a failure.</summary>
    private static async Task RunChecksAsync(HeaderChecks checks, CheckReport report)
    {
        try { await checks.RunAsync(); }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            report.Expect("the checks ran to the end", false, e.Message);
        }
        report.WriteSummary();
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
