using Microsoft.Playwright;

namespace ImageHub.E2E.Support;

/// <summary>
/// Launches the system's chromium (Debian's package), never a browser Playwright downloads:
/// the build machines cannot fetch one, and the suite must not depend on a cache.
/// </summary>
public static class ChromiumLauncher
{
    public const string ExecutableVariable = "PLAYWRIGHT_CHROMIUM_EXECUTABLE";
    public const string DefaultExecutable = "/usr/bin/chromium";

    // No sandbox: test machines run as root in containers. The rest keeps chromium from calling
    // home (updates, sync, QUIC probes), which would only slow a headless run down.
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    public static string Executable =>
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path ? path : DefaultExecutable;

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var executable = Executable;
        if (!File.Exists(executable))
            throw new InvalidOperationException(
                $"chromium was not found at {executable}. Install Debian's chromium (apt-get install chromium; " +
                $"scripts/test does it) or point {ExecutableVariable} at a chromium executable.");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = Arguments,
        });
    }
}
