using System.Text.RegularExpressions;
using System.Xml.Linq;
using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>The Dockerfiles in infra/docker, read without building them.</summary>
public partial class DockerfileTests
{
    public static TheoryData<string> Dockerfiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Repo.DockerDirectory, "*.Dockerfile").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    public static TheoryData<string, string> AppImages => new()
    {
        { "imagehub.Dockerfile", "apps/ImageHub/ImageHub.csproj" },
        { "quota.Dockerfile", "apps/QuotaService/QuotaService.csproj" },
    };

    private static Dockerfile Load(string name) => Dockerfile.Load(Path.Combine(Repo.DockerDirectory, name));

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_copied_path_exists_in_the_build_context(string name)
    {
        var problems = BuildContext.MissingCopySources(Load(name), Repo.Root, DockerIgnore.Load(Repo.Path(".dockerignore")));
        Assert.True(problems.Count == 0, $"{name}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void A_copy_of_a_missing_or_ignored_path_is_reported()
    {
        var dockerfile = Dockerfile.Parse(
            "FROM node:20.20.2-bookworm-slim\nCOPY no/such/file /x\nCOPY scripts/lib.sh \\\n  /y\nCOPY filters/rate-limit/build/ /z\n", "test.Dockerfile");
        var ignore = DockerIgnore.Parse(["filters/*/build/"]);
        var problems = BuildContext.MissingCopySources(dockerfile, Repo.Root, ignore);
        Assert.Contains(problems, p => p.StartsWith("line 2:") && p.Contains("no such file"));
        Assert.DoesNotContain(problems, p => p.StartsWith("line 3:"));
        // Whether or not the filters were built here, the folder is either missing or ignored.
        Assert.Contains(problems, p => p.StartsWith("line 5:"));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_base_image_is_pinned_to_a_version(string name)
    {
        var dockerfile = Load(name);
        var stageNames = dockerfile.Stages.Select(s => s.Name).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var stage in dockerfile.Stages.Where(s => !stageNames.Contains(s.Image)))
        {
            Assert.Matches(PinnedImage(), stage.Image);
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Final_stage_runs_as_a_non_root_user_with_a_health_check(string name)
    {
        var final = Load(name).FinalStage;
        var user = final.All("USER").LastOrDefault()?.Arguments.FirstOrDefault();
        Assert.True(user is not null and not "root" and not "0", $"{name}: the final stage must switch to a non-root USER (found {user ?? "none"})");
        Assert.Single(final.All("HEALTHCHECK"));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Copies_from_other_stages_name_stages_of_the_same_file(string name)
    {
        var dockerfile = Load(name);
        foreach (var copy in dockerfile.Stages.SelectMany(s => s.All("COPY")).Where(c => c.Flags.ContainsKey("from")))
        {
            Assert.True(dockerfile.Stage(copy.Flags["from"]) is not null, $"{name} line {copy.Line}: --from={copy.Flags["from"]} is not a stage of this file");
        }
    }

    [Theory]
    [MemberData(nameof(AppImages))]
    public void App_image_restores_with_every_project_it_references(string name, string project)
    {
        // The restore layer copies project files before the sources; a reference left out
        // would only fail on a machine with Docker.
        var copied = Load(name).Stages[0].All("COPY").SelectMany(c => c.Arguments.SkipLast(1)).ToHashSet();
        Assert.Contains("Directory.Build.props", copied);
        Assert.Contains("Directory.Packages.props", copied);
        foreach (var needed in ProjectClosure(project))
        {
            Assert.True(copied.Contains(needed), $"{name}: the build stage does not copy {needed} before restoring");
        }
    }

    [Theory]
    [MemberData(nameof(AppImages))]
    public void App_image_health_check_probes_the_port_the_app_listens_on(string name, string project)
    {
        var final = Load(name).FinalStage;
        var healthcheck = string.Join(' ', final.All("HEALTHCHECK").Single().Arguments);
        var urls = final.All("ENV").SelectMany(e => e.Arguments).First(a => a.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal));
        var port = new Uri(urls["ASPNETCORE_URLS=".Length..]).Port;
        Assert.Contains($"\"http-ok\", \"{port}\", \"/healthz\"", healthcheck);
        Assert.True(File.Exists(Repo.Path(project)), $"{project} does not exist");
    }

    [Fact]
    public void Filters_stage_has_what_scripts_build_filters_only_needs()
    {
        // The Node image has no .NET SDK, and the stage copies only scripts/build, scripts/lib.sh
        // and filters/: the --filters-only path of scripts/build must stay within that.
        var build = File.ReadAllText(Repo.Path("scripts/build"));
        var exit = build.IndexOf("--filters-only\" ] && exit 0", StringComparison.Ordinal);
        Assert.True(exit > 0, "scripts/build no longer stops after the filters on --filters-only");
        var filtersPath = build[..exit];
        Assert.DoesNotContain("dotnet ", filtersPath);
        var sourced = System.Text.RegularExpressions.Regex.Matches(filtersPath, @"source\s+""\$\(dirname ""\$0""\)/([^""]+)""")
            .Select(m => "scripts/" + m.Groups[1].Value).ToList();
        Assert.Contains("scripts/lib.sh", sourced);
        var copied = Load("envoy-sidecar.Dockerfile").Stage("filters")!.All("COPY").SelectMany(c => c.Arguments.SkipLast(1)).ToHashSet();
        Assert.All(sourced, script => Assert.Contains(script, copied));
        Assert.Contains("scripts/build", copied);
        Assert.Contains("filters/", copied);
    }

    /// <summary>The project and every project it references, transitively, relative to the repository root.</summary>
    private static IReadOnlyList<string> ProjectClosure(string project)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (seen.Contains(current)) continue;
            seen.Add(current);
            var folder = Path.GetDirectoryName(Repo.Path(current))!;
            foreach (var reference in XDocument.Load(Repo.Path(current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Repo.Layout.Relative(full));
            }
        }
        return seen;
    }

    [GeneratedRegex(@"^[a-z0-9./_-]+:(?!latest$)[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*$")]
    private static partial Regex PinnedImage();
}
