using System.Text.RegularExpressions;

namespace ImageHub.Walkthrough.Tests;

/// <summary>Reads the marked steps and the line-range source links out of the walkthrough's Markdown.</summary>
public static partial class WalkthroughDocument
{
    public static IReadOnlyList<WalkthroughStep> Steps(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var steps = new List<WalkthroughStep>();
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = Marker().Match(lines[i].Trim());
            if (!marker.Success) continue;
            var line = i + 1;
            // The block must follow the marker directly (blank lines allowed), so a marker cannot
            // silently drift onto an unrelated block.
            var open = i + 1;
            while (open < lines.Length && lines[open].Trim().Length == 0) open++;
            if (open >= lines.Length || !lines[open].TrimStart().StartsWith("```", StringComparison.Ordinal))
                throw new FormatException($"line {line}: a walkthrough marker must be followed by a fenced block");
            var indent = lines[open].Length - lines[open].TrimStart().Length;
            var body = new List<string>();
            var close = open + 1;
            for (; close < lines.Length && lines[close].Trim() != "```"; close++)
                body.Add(lines[close].Length >= indent ? lines[close][indent..] : lines[close].TrimStart());
            if (close >= lines.Length) throw new FormatException($"line {line}: the fenced block is not closed");
            steps.Add(Parse(marker.Groups["spec"].Value.Trim(), string.Join('\n', body) + "\n", line));
            i = close;
        }
        return steps;
    }

    private static WalkthroughStep Parse(string spec, string body, int line)
    {
        var kind = spec.Split([' ', ','], 2)[0];
        var options = spec[kind.Length..].Trim().TrimStart(',').Trim();
        string? Text(string name)
        {
            var match = Option().Matches(options).FirstOrDefault(m => m.Groups["name"].Value == name);
            return match?.Groups["text"].Value.Replace("\\\"", "\"");
        }
        // Every option must be a known name with a quoted text, so a typo cannot quietly turn a check off.
        var known = Option().Replace(options, "").Replace(",", "").Trim().Length == 0;
        var names = Option().Matches(options).Select(m => m.Groups["name"].Value).ToList();
        return kind switch
        {
            "run" when known && names.All(n => n is "expect" or "absent") && names.Distinct().Count() == names.Count =>
                new WalkthroughStep(StepKind.Run, body, line, Expect: Text("expect"), Absent: Text("absent")),
            "file" when spec.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var path] && !path.StartsWith('/') && !path.Contains("..") =>
                new WalkthroughStep(StepKind.File, body, line, Path: path),
            "start" when known && names is ["ready"] =>
                new WalkthroughStep(StepKind.Start, body, line, Ready: Text("ready")),
            "demo" when options.Length == 0 => new WalkthroughStep(StepKind.Demo, body, line),
            _ => throw new FormatException(
                $"line {line}: unknown walkthrough marker \"{spec}\"; use run[, expect \"TEXT\"][, absent \"TEXT\"], file RELATIVE/PATH, start, ready \"TEXT\" or demo"),
        };
    }

    public static IReadOnlyList<SourceLink> SourceLinks(string markdown)
    {
        var links = new List<SourceLink>();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match m in LineLink().Matches(lines[i]))
                links.Add(new SourceLink(m.Groups["name"].Value, m.Groups["path"].Value,
                    int.Parse(m.Groups["first"].Value), int.Parse(m.Groups["last"].Value), i + 1));
        }
        return links;
    }

    [GeneratedRegex(@"^<!--\s*walkthrough:(?<spec>.*?)-->$")]
    private static partial Regex Marker();

    [GeneratedRegex("(?<name>[a-z]+)\\s+\"(?<text>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Option();

    [GeneratedRegex(@"\[`(?<name>[^`]+)`\]\((?<path>[^)#\s]+)#L(?<first>\d+)-L(?<last>\d+)\)")]
    private static partial Regex LineLink();
}
