namespace ImageHub.E2E.Support;

/// <summary>A failed scenario, with where its screenshots, page HTML and the deployment's logs are.</summary>
public sealed class ScenarioFailedException(string scenario, Exception failure, IReadOnlyList<string> savedFiles, string logDirectory)
    : Exception(Describe(scenario, failure, savedFiles, logDirectory), failure)
{
    private static string Describe(string scenario, Exception failure, IReadOnlyList<string> savedFiles, string logDirectory)
    {
        var saved = savedFiles.Count == 0 ? "  (no page was open)" : string.Join('\n', savedFiles.Select(f => "  " + f));
        return $"{scenario} failed: {failure.Message}\nsaved pages (and requests left unfinished):\n{saved}\ndeployment logs: {logDirectory}";
    }
}
