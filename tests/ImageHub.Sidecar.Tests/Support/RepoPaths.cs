namespace ImageHub.Sidecar.Tests.Support;

public static class RepoPaths
{
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ImageHub.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ImageHub.sln not found above the test folder");
    }

    /// <summary>A .wasm the build compiles from source; a clear failure when it has not been built.</summary>
    public static string BuiltWasm(string relativePath)
    {
        var path = Path.Combine(Root(), relativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{relativePath} is not built; run scripts/build --filters-only first", path);
        return path;
    }

    /// <summary>The host's conformance filter: one root id per hostcall family ("headers", "callout", "metrics", ...).</summary>
    public const string ConformanceFilter = "tests/conformance-filters/conformance/build/conformance.wasm";
}
