namespace ImageHub.Walkthrough.Tests;

public enum StepKind { Run, File, Start, Demo }

/// <summary>
/// One fenced block of the walkthrough that its test acts on, chosen by the HTML comment right
/// above it: <c>&lt;!-- walkthrough: run[, expect "TEXT"][, absent "TEXT"] --&gt;</c>, <c>&lt;!-- walkthrough: file PATH --&gt;</c>,
/// <c>&lt;!-- walkthrough: start, ready "TEXT" --&gt;</c> or <c>&lt;!-- walkthrough: demo --&gt;</c> (the block that starts
/// the local deployment; the test starts it the way that block does, on free ports).
/// </summary>
public sealed record WalkthroughStep(StepKind Kind, string Body, int Line, string? Expect = null, string? Path = null, string? Ready = null, string? Absent = null)
{
    public override string ToString() => $"line {Line}: {Kind} {Path ?? Body.Split('\n')[0]}";
}

/// <summary>A link into the source whose text names what the linked lines must contain: [`name`](path#L10-L20).</summary>
public sealed record SourceLink(string Name, string Path, int FirstLine, int LastLine, int Line);
