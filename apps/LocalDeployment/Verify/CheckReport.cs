namespace ImageHub.Deployment.Verify;

/// <summary>Prints a pass/fail line per check as the checks run, and the closing count.</summary>
public sealed class CheckReport(TextWriter output)
{
    public int Passed { get; private set; }
    public int Failed { get; private set; }

    /// <summary>Passes when <paramref name="condition"/> holds; the line says what was seen either way.</summary>
    public bool Expect(string check, bool condition, string seen)
    {
        if (condition) Passed++; else Failed++;
        output.WriteLine($"{(condition ? "pass" : "FAIL")}  {check} — {seen}");
        return condition;
    }

    public void Skip(string check, string why) => output.WriteLine($"skip  {check} — {why}");

    public void WriteSummary() => output.WriteLine($"{Passed} passed, {Failed} failed");
}
