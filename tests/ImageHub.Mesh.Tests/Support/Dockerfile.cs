using System.Text.Json;
using System.Text.RegularExpressions;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>One instruction of a Dockerfile: keyword, --flags and arguments, with its line number.</summary>
public sealed record DockerInstruction(int Line, string Keyword, IReadOnlyDictionary<string, string> Flags, IReadOnlyList<string> Arguments);

/// <summary>A stage: FROM image [AS name] and the instructions up to the next FROM.</summary>
public sealed record DockerStage(string Image, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => i.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The part of the Dockerfile syntax our files use: comments, line continuations, FROM .. AS,
/// COPY/ADD with --from/--chown flags in shell or JSON form. Enough to check what a build
/// would copy without running one.
/// </summary>
public sealed partial class Dockerfile
{
    public required string Path { get; init; }
    public required IReadOnlyList<DockerStage> Stages { get; init; }

    public DockerStage FinalStage => Stages[^1];

    public DockerStage? Stage(string name) =>
        Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path), path);

    public static Dockerfile Parse(string text, string path)
    {
        var stages = new List<DockerStage>();
        string? image = null, name = null;
        var current = new List<DockerInstruction>();
        foreach (var (line, content) in LogicalLines(text))
        {
            var instruction = ParseInstruction(line, content);
            if (instruction.Keyword == "FROM")
            {
                if (image is not null) stages.Add(new DockerStage(image, name, current));
                var args = instruction.Arguments;
                image = args.Count > 0 ? args[0] : throw new FormatException($"{path}:{line}: FROM without an image");
                name = args.Count == 3 && args[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? args[2] : null;
                current = [];
                continue;
            }
            if (image is null) throw new FormatException($"{path}:{line}: {instruction.Keyword} before the first FROM");
            current.Add(instruction);
        }
        if (image is null) throw new FormatException($"{path}: no FROM instruction");
        stages.Add(new DockerStage(image, name, current));
        return new Dockerfile { Path = path, Stages = stages };
    }

    /// <summary>Joins backslash-continued lines and drops comments and blank lines.</summary>
    private static IEnumerable<(int Line, string Content)> LogicalLines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var buffer = "";
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i];
            if (buffer.Length == 0)
            {
                if (raw.TrimStart().StartsWith('#') || raw.Trim().Length == 0) continue;
                start = i + 1;
            }
            else if (raw.TrimStart().StartsWith('#')) continue;
            if (raw.TrimEnd().EndsWith('\\'))
            {
                buffer += raw.TrimEnd()[..^1] + " ";
                continue;
            }
            yield return (start, (buffer + raw).Trim());
            buffer = "";
        }
        if (buffer.Length > 0) yield return (start, buffer.Trim());
    }

    private static DockerInstruction ParseInstruction(int line, string content)
    {
        var keywordEnd = content.IndexOf(' ');
        var keyword = (keywordEnd < 0 ? content : content[..keywordEnd]).ToUpperInvariant();
        var rest = keywordEnd < 0 ? "" : content[(keywordEnd + 1)..].Trim();

        var flags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (keyword is "COPY" or "ADD" or "FROM" or "RUN")
        {
            while (FlagPattern().Match(rest) is { Success: true } flag)
            {
                flags[flag.Groups["name"].Value] = flag.Groups["value"].Value;
                rest = rest[flag.Length..].TrimStart();
            }
        }

        IReadOnlyList<string> arguments = rest.StartsWith('[') && keyword is "COPY" or "ADD" or "ENTRYPOINT" or "CMD"
            ? JsonSerializer.Deserialize<string[]>(rest) ?? []
            : rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new DockerInstruction(line, keyword, flags, arguments);
    }

    [GeneratedRegex(@"^--(?<name>[a-z-]+)(=(?<value>\S*))?\s*")]
    private static partial Regex FlagPattern();
}
