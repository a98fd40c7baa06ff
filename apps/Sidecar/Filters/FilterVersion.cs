using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Stats;

namespace ImageHub.Sidecar.Filters;

/// <summary>
/// One loaded .wasm behind a filter name. Requests lease the version they start on and keep it
/// to the end, so a swap never changes the code under a request in flight; the version is
/// disposed when it has been replaced and its last lease is returned. It carries the plugin
/// configuration it was loaded with (root id, configuration, fail_open), since a filter added
/// through the admin API may be replaced with new configuration as well as new code.
/// </summary>
public sealed class FilterVersion
{
    // Every request on every core leases and releases: the count sits on cache lines of its own,
    // so the fields each request reads (Filter, Config) do not move between the cores with it.
    private PaddedCount _leases;
    private int _retired;
    private int _disposed;

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
    private struct PaddedCount
    {
        [System.Runtime.InteropServices.FieldOffset(64)] public int Value;
    }

    public FilterVersion(WasmFilterConfig config, IHttpFilter filter, string sourcePath, string sha256, string abiVersion, int replicas, DateTimeOffset loadedAt, int generation)
    {
        Config = config;
        Filter = filter;
        SourcePath = sourcePath;
        Sha256 = sha256;
        AbiVersion = abiVersion;
        Replicas = replicas;
        LoadedAt = loadedAt;
        Generation = generation;
    }

    public WasmFilterConfig Config { get; }
    public IHttpFilter Filter { get; }
    public string SourcePath { get; }
    public string Sha256 { get; }
    public string AbiVersion { get; }
    public int Replicas { get; }
    public DateTimeOffset LoadedAt { get; }
    public int Generation { get; }

    public Counter Requests { get; } = new();
    public Counter LocalReplies { get; } = new();
    public Counter Failures { get; } = new();
    public int ActiveStreams => Volatile.Read(ref _leases.Value);

    /// <summary>False when the version was retired in the meantime; the caller reads the slot again.</summary>
    public bool TryLease()
    {
        Interlocked.Increment(ref _leases.Value);
        if (Volatile.Read(ref _retired) == 0) return true;
        Release();
        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _leases.Value) == 0 && Volatile.Read(ref _retired) == 1) DisposeOnce();
    }

    public void Retire()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 1) return;
        if (Volatile.Read(ref _leases.Value) == 0) DisposeOnce();
    }

    private void DisposeOnce()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Filter.Dispose();
    }
}
