namespace ImageHub.E2E.Support;

/// <summary>Assertions over recorded responses whose failures list the offending requests.</summary>
public static class HeaderAssert
{
    public static void AllCarry(IEnumerable<RecordedResponse> responses, string header, string expected)
    {
        var list = responses.ToList();
        Assert.True(list.Count > 0, $"no responses were recorded to check {header} on");
        var wrong = list.Where(r => r.Header(header) != expected).ToList();
        Assert.True(wrong.Count == 0,
            $"{wrong.Count} of {list.Count} responses lack {header}: {expected}:\n" +
            string.Join('\n', wrong.Select(r => $"  {r} ({header}: {r.Header(header) ?? "absent"})")));
    }

    public static int IntHeader(RecordedResponse response, string header)
    {
        var text = response.Header(header);
        Assert.True(int.TryParse(text, out var value), $"{response}: {header} should be a whole number, was {text ?? "absent"}");
        return value;
    }
}
