namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>Finds the conformance filters the build compiled from tests/conformance-filters/&lt;name&gt;.</summary>
internal static class ConformanceFilters
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Path(string name)
    {
        var path = System.IO.Path.Combine(RepositoryRoot, "tests", "conformance-filters", name, "build", name + ".wasm");
        if (!File.Exists(path))
            throw new FileNotFoundException($"conformance filter '{name}' is not built: run scripts/build --filters-only", path);
        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ImageHub.sln"))) return directory.FullName;
        throw new InvalidOperationException("ImageHub.sln not found above " + AppContext.BaseDirectory);
    }
}
