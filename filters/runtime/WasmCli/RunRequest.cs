namespace ImageHub.Wasm.Cli;

/// <summary>What <c>wasm run</c> was asked to do.</summary>
internal sealed record RunRequest
{
    public required string ModulePath { get; init; }

    /// <summary>Arguments after the module path: the guest's argv[1..] or, with --invoke, the export's parameters.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>The export to call instead of <c>_start</c>.</summary>
    public string? Invoke { get; init; }

    public long? Fuel { get; init; }

    public TimeSpan? Timeout { get; init; }

    public int? MaxMemoryPages { get; init; }
}
