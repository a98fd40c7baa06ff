using ImageHub.Deployment;

namespace ImageHub.Walkthrough.Tests;

/// <summary>
/// A temporary copy of what a filter author works with (scripts, the shared filter code, the
/// pinned packages, the filters' test project) where the walkthrough's commands run, so running
/// them never touches the real tree. Built parts are borrowed, not rebuilt: the copy's
/// <c>apps/Sidecar/bin</c> links to the real one, and its filters test project references the
/// Proxy-Wasm host scripts/build compiled.
/// </summary>
public sealed class WalkthroughSandbox : IDisposable
{
    private static readonly string[] CopiedFiles =
    [
        "ImageHub.sln", "Directory.Build.props", "Directory.Packages.props", "tests/Directory.Build.props",
        "filters/multi-tenancy/package.json", "filters/multi-tenancy/package-lock.json",
        "tests/ImageHub.Filters.Tests/Support/BuiltFilters.cs",
    ];

    private static readonly string[] CopiedFolders = ["scripts", "filters/shared"];

    private WalkthroughSandbox(string root) => Root = root;

    public string Root { get; }

    public static WalkthroughSandbox Create(RepositoryLayout layout)
    {
        var sidecarBin = Path.Combine(layout.Root, "apps", "Sidecar", "bin");
        var proxyWasm = Path.Combine(layout.Root, "filters", "runtime", "ProxyWasm", "bin", "Debug", "net10.0", "ImageHub.ProxyWasm.dll");
        var wasm = Path.Combine(layout.Root, "filters", "runtime", "Wasm", "bin", "Debug", "net10.0", "ImageHub.Wasm.dll");
        foreach (var built in new[] { layout.AppAssembly("Sidecar", "ImageHub.Sidecar"), proxyWasm, wasm })
        {
            if (!File.Exists(built)) throw new FileNotFoundException($"{built} is missing: run scripts/build first", built);
        }

        var sandbox = new WalkthroughSandbox(Directory.CreateTempSubdirectory("imagehub-walkthrough-").FullName);
        try
        {
            foreach (var file in CopiedFiles) CopyFile(layout.Root, sandbox.Root, file);
            foreach (var folder in CopiedFolders) CopyFolder(Path.Combine(layout.Root, folder), Path.Combine(sandbox.Root, folder));
            Directory.CreateDirectory(Path.Combine(sandbox.Root, "apps", "Sidecar"));
            Directory.CreateSymbolicLink(Path.Combine(sandbox.Root, "apps", "Sidecar", "bin"), sidecarBin);
            File.WriteAllText(Path.Combine(sandbox.Root, "tests", "ImageHub.Filters.Tests", "ImageHub.Filters.Tests.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <!-- The walkthrough's stand-in for the filters' test project: the same test files, the built host. -->
                  <ItemGroup>
                    <FrameworkReference Include="Microsoft.AspNetCore.App" />
                    <Reference Include="ImageHub.ProxyWasm" HintPath="{proxyWasm}" />
                    <Reference Include="ImageHub.Wasm" HintPath="{wasm}" />
                  </ItemGroup>
                </Project>
                """);
            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    private static void CopyFile(string from, string to, string relative)
    {
        var target = Path.Combine(to, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(from, relative), target);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "node_modules" or "bin" or "obj" or "build")) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            // Scripts stay executable.
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
