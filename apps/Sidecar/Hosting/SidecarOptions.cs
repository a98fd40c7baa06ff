using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Hosting;

public enum SidecarMode { Serve, Validate }

/// <summary>The command line, Envoy's flag names where Envoy has one.</summary>
public sealed record SidecarOptions
{
    public required string ConfigPath { get; init; }
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Replicas per wasm filter (Envoy: one VM per worker thread, workers = --concurrency).</summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>When set, the admin address (host:port) is written there once it is bound, as Envoy's flag does.</summary>
    public string? AdminAddressPath { get; init; }

    public SidecarMode Mode { get; init; } = SidecarMode.Serve;

    /// <summary>Watch the filters' .wasm files and swap in changed ones (off: --disable-hot-reload).</summary>
    public bool HotReload { get; init; } = true;
}
