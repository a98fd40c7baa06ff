using System.Text.RegularExpressions;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>
/// The repository's .dockerignore, matched the way Docker documents it: Go filepath.Match
/// patterns plus "**" for any number of folders, a trailing "/" is ignored, "!" re-includes,
/// and a path is excluded when it or any folder above it matches.
/// </summary>
public sealed class DockerIgnore(IReadOnlyList<(Regex Pattern, bool Exclude)> rules)
{
    public static DockerIgnore Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllLines(path)) : new DockerIgnore([]);

    public static DockerIgnore Parse(IEnumerable<string> lines)
    {
        var rules = new List<(Regex, bool)>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var exclude = !line.StartsWith('!');
            var pattern = (exclude ? line : line[1..]).Trim().Trim('/');
            rules.Add((new Regex("^" + ToRegex(pattern) + "$"), exclude));
        }
        return new DockerIgnore(rules);
    }

    /// <param name="relativePath">a path relative to the build context, with forward slashes.</param>
    public bool IsIgnored(string relativePath)
    {
        var parts = relativePath.Trim('/').Split('/');
        for (var depth = 1; depth <= parts.Length; depth++)
        {
            if (Matches(string.Join('/', parts[..depth]))) return true;
        }
        return false;
    }

    private bool Matches(string path)
    {
        var ignored = false;
        foreach (var (pattern, exclude) in rules)
        {
            if (pattern.IsMatch(path)) ignored = exclude;
        }
        return ignored;
    }

    private static string ToRegex(string pattern)
    {
        var result = new System.Text.StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a trailing "**" matches anything.
                if (i + 2 < pattern.Length && pattern[i + 2] == '/') { result.Append("(.*/)?"); i += 2; }
                else { result.Append(".*"); i += 1; }
            }
            else if (c == '*') result.Append("[^/]*");
            else if (c == '?') result.Append("[^/]");
            else result.Append(Regex.Escape(c.ToString()));
        }
        return result.ToString();
    }
}
