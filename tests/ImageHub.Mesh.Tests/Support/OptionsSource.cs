using System.Text.RegularExpressions;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>
/// Reads an app's options classes from its C# sources, enough to tell whether a configuration
/// key such as <c>ImageHub:Auth:SigningKey</c> binds to a property: the section constant of a
/// class, then one settable property per further segment.
/// </summary>
public sealed partial class OptionsSource(string appFolder)
{
    private readonly string _code = string.Join("\n",
        Directory.EnumerateFiles(appFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText));

    /// <summary>Null when the key binds; otherwise which segment has no property.</summary>
    public string? Unbound(string key)
    {
        var segments = key.Split(':');
        var owner = SectionClass(segments[0]);
        if (owner is null) return $"no options class declares the section \"{segments[0]}\"";
        foreach (var segment in segments[1..])
        {
            var type = PropertyType(owner, segment);
            if (type is null) return $"{owner} has no settable property {segment}";
            owner = type;
        }
        return null;
    }

    private string? SectionClass(string section)
    {
        foreach (Match match in ClassDeclaration().Matches(_code))
        {
            var body = ClassBody(match.Groups["name"].Value);
            if (Regex.IsMatch(body, $@"const\s+string\s+\w+\s*=\s*""{Regex.Escape(section)}""")) return match.Groups["name"].Value;
        }
        return null;
    }

    private string? PropertyType(string owner, string property)
    {
        var match = Regex.Match(ClassBody(owner), $@"public\s+(?<type>[\w<>,\s]+?)\??\s+{Regex.Escape(property)}\s*\{{\s*get;\s*set;");
        return match.Success ? match.Groups["type"].Value.Trim() : null;
    }

    /// <summary>The text from "class Name" to the next class declaration: good enough for options records.</summary>
    private string ClassBody(string name)
    {
        var start = Regex.Match(_code, $@"\bclass\s+{Regex.Escape(name)}\b");
        if (!start.Success) return "";
        var next = ClassDeclaration().Match(_code, start.Index + start.Length);
        return next.Success ? _code[start.Index..next.Index] : _code[start.Index..];
    }

    [GeneratedRegex(@"\bclass\s+(?<name>\w+)")]
    private static partial Regex ClassDeclaration();
}
