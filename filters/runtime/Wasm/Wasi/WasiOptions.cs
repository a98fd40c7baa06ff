namespace ImageHub.Wasm.Wasi;

/// <summary>Fills a buffer with random bytes (<c>random_get</c>).</summary>
public delegate void WasiRandomSource(Span<byte> buffer);

/// <summary>What one WASI guest sees of the world. Nothing here touches the host's files.</summary>
public sealed record WasiOptions
{
    /// <summary>The command line; by convention the first entry is the program name.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The environment, in order, as <c>KEY=VALUE</c> pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    public WasiOutput Stdout { get; init; } = WasiOutput.Discard;

    public WasiOutput Stderr { get; init; } = WasiOutput.Discard;

    /// <summary>What <c>fd_read</c> on fd 0 returns; empty (end of file at once) by default.</summary>
    public Stream Stdin { get; init; } = Stream.Null;

    /// <summary>Source of <c>clock_time_get</c>: wall clock and monotonic timestamps.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Source of <c>random_get</c>; cryptographically strong by default.</summary>
    public WasiRandomSource Random { get; init; } = System.Security.Cryptography.RandomNumberGenerator.Fill;
}
