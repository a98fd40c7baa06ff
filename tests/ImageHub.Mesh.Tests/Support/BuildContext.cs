namespace ImageHub.Mesh.Tests.Support;

/// <summary>
/// What a COPY from the build context (the repository root) would find: problems with each
/// source path of a Dockerfile, as messages with the line number.
/// </summary>
public static class BuildContext
{
    public static IReadOnlyList<string> MissingCopySources(Dockerfile dockerfile, string contextRoot, DockerIgnore ignore)
    {
        var problems = new List<string>();
        foreach (var stage in dockerfile.Stages)
        {
            foreach (var copy in stage.Instructions.Where(i => i.Keyword is "COPY" or "ADD" && !i.Flags.ContainsKey("from")))
            {
                foreach (var source in copy.Arguments.Take(copy.Arguments.Count - 1))
                {
                    var relative = source.TrimStart('.', '/');
                    var full = Path.Combine(contextRoot, relative);
                    if (relative.Length == 0) continue;
                    if (!File.Exists(full) && !Directory.Exists(full))
                        problems.Add($"line {copy.Line}: {copy.Keyword} {source}: no such file or folder in the build context");
                    else if (ignore.IsIgnored(relative))
                        problems.Add($"line {copy.Line}: {copy.Keyword} {source}: excluded by .dockerignore, so the build would not see it");
                }
            }
        }
        return problems;
    }
}
