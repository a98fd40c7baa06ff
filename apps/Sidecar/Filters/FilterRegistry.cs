using System.Security.Cryptography;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Stats;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Filters;

/// <summary>
/// Every wasm filter by plugin name, the bootstrap's and those added through the admin API:
/// loads them, swaps in new code (admin API or a changed file), unloads them. Loading validates
/// first; only a module that loaded completely replaces the running one.
/// </summary>
public sealed class FilterRegistry : IStatsSource, IDisposable
{
    private readonly IWasmFilterLoader _loader;
    private readonly int _replicas;
    private readonly ILogger _logger;
    // Readers (requests' stats, the admin API) take the list as it is; edits replace it whole.
    private IReadOnlyList<FilterSlot> _slots;
    private int _generation;

    public FilterRegistry(IEnumerable<WasmFilterConfig> filters, IWasmFilterLoader loader, int replicas, ILogger<FilterRegistry> logger)
    {
        _slots = filters.Select(f => new FilterSlot(f)).ToList();
        _loader = loader;
        _replicas = replicas;
        _logger = logger;
    }

    /// <summary>
    /// One load or chain edit at a time: two swaps racing would leave whichever finished last,
    /// and an added filter must not appear twice.
    /// </summary>
    internal object EditLock { get; } = new();

    /// <summary>The bootstrap's filters in file order, then the added ones in the order they were added.</summary>
    public IReadOnlyList<FilterSlot> Slots => Volatile.Read(ref _slots);

    public FilterSlot? Find(string name) => Slots.FirstOrDefault(s => s.Name == name);

    /// <summary>Loads every filter from its configured file; the first failure stops start-up.</summary>
    public void LoadAll()
    {
        foreach (var slot in Slots) LoadFromFile(slot.Name, slot.Config.CodePath);
    }

    public FilterVersion LoadFromFile(string name, string path, WasmFilterConfig? config = null) =>
        Load(name, ReadCode(name, path), path, config);

    public static byte[] ReadCode(string name, string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FilterLoadException($"filter {name}: cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Validates and loads <paramref name="code"/>, then swaps it in. Throws and keeps the old
    /// version on any failure. <paramref name="config"/> replaces the slot's configuration (added
    /// filters only; the admin API refuses it for the bootstrap's).
    /// </summary>
    public FilterVersion Load(string name, ReadOnlyMemory<byte> code, string sourcePath, WasmFilterConfig? config = null)
    {
        var slot = Find(name) ?? throw new KeyNotFoundException($"no wasm filter named \"{name}\"");
        lock (EditLock)
        {
            if (Find(name) != slot) throw new KeyNotFoundException($"wasm filter \"{name}\" was removed meanwhile");
            var version = Compile(config ?? slot.Config, code, sourcePath);
            slot.Swap(version);
            return version;
        }
    }

    /// <summary>A loaded version that is not in any slot yet; the caller swaps it in or disposes it.</summary>
    internal FilterVersion Compile(WasmFilterConfig config, ReadOnlyMemory<byte> code, string sourcePath)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(code.Span));
        LoadedWasm loaded;
        try { loaded = _loader.Load(config, code, _replicas); }
        catch (FilterLoadException) { throw; }
        catch (Exception e)
        {
            throw new FilterLoadException($"filter {config.PluginName}: {sourcePath} did not load: {e.Message}", e);
        }
        var version = new FilterVersion(config, loaded.Filter, sourcePath, sha256, loaded.AbiVersion, _replicas, DateTimeOffset.UtcNow, Interlocked.Increment(ref _generation));
        _logger.LogInformation("filter {Name}: loaded {Path} (sha256 {Sha}, ABI {Abi}, {Replicas} replicas)",
            config.PluginName, sourcePath, sha256[..12], loaded.AbiVersion, _replicas);
        return version;
    }

    /// <summary>Lists a slot the admin API added; called under <see cref="EditLock"/>.</summary>
    internal void Register(FilterSlot slot) => Volatile.Write(ref _slots, [.. Slots, slot]);

    /// <summary>Forgets an added slot and retires its code; requests in flight finish on it. Called under <see cref="EditLock"/>.</summary>
    internal void Unregister(FilterSlot slot)
    {
        Volatile.Write(ref _slots, Slots.Where(s => s != slot).ToList());
        slot.Swap(null);
        _logger.LogWarning("filter {Name}: removed from the chain", slot.Name);
    }

    /// <summary>Takes the filter out of the chain; requests in flight finish on it. False when it was not loaded.</summary>
    public bool Unload(string name)
    {
        var slot = Find(name) ?? throw new KeyNotFoundException($"no wasm filter named \"{name}\"");
        lock (EditLock)
        {
            if (slot.Current is null) return false;
            slot.Swap(null);
            _logger.LogWarning("filter {Name}: unloaded; requests now skip it", name);
            return true;
        }
    }

    public IEnumerable<StatValue> CollectStats()
    {
        foreach (var slot in Slots)
        {
            var version = slot.Current;
            var prefix = $"wasm_filter.{slot.Name}.";
            yield return new StatValue(prefix + "loaded", StatKind.Gauge, version is null ? 0 : 1);
            if (version is null) continue;
            yield return new StatValue(prefix + "rq_total", StatKind.Counter, version.Requests.Value);
            yield return new StatValue(prefix + "local_reply", StatKind.Counter, version.LocalReplies.Value);
            yield return new StatValue(prefix + "failed", StatKind.Counter, version.Failures.Value);
            yield return new StatValue(prefix + "active_streams", StatKind.Gauge, version.ActiveStreams);
            if (version.Filter is IStatsSource metrics)
                foreach (var stat in metrics.CollectStats()) yield return stat;
        }
    }

    public void Dispose()
    {
        foreach (var slot in Slots) slot.Swap(null);
    }
}
