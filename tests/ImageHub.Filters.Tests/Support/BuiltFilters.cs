namespace ImageHub.Filters.Tests.Support;

/// <summary>Finds the filters scripts/build compiled from filters/&lt;name&gt; (never a copy: the real build output).</summary>
internal static class BuiltFilters
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string MultiTenancy => Path("multi-tenancy", "multi-tenancy");
    public static string RateLimit => Path("rate-limit", "rate-limit");

    /// <summary>The SHA-256/HMAC test module built from the same source as the rate-limit filter.</summary>
    public static string CryptoCheck => Path("rate-limit", "crypto-check");

    private static string Path(string package, string module)
    {
        var path = System.IO.Path.Combine(RepositoryRoot, "filters", package, "build", module + ".wasm");
        if (!File.Exists(path))
            throw new FileNotFoundException($"filters/{package}/build/{module}.wasm is missing: run scripts/build first (scripts/build --filters-only is enough)", path);
        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ImageHub.sln"))) return directory.FullName;
        throw new InvalidOperationException("ImageHub.sln not found above " + AppContext.BaseDirectory);
    }
}
