using ImageHub.ProxyWasm.Testing;

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

    /// <summary>
    /// The conformance filter's root context <paramref name="rootId"/> in a harness. The configuration is never
    /// empty: proxy-runtime 0.1.8 passes the configuration size where the ABI wants a size pointer, and with
    /// an empty configuration it then frees address 0 and traps (in Envoy too).
    /// </summary>
    public static FilterHarness Load(string rootId, string configuration = "{}", HarnessOptions? options = null) =>
        FilterHarness.Load(Path("conformance"), configuration, (options ?? new HarnessOptions()) with { RootId = rootId, Name = rootId });

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ImageHub.sln"))) return directory.FullName;
        throw new InvalidOperationException("ImageHub.sln not found above " + AppContext.BaseDirectory);
    }
}
