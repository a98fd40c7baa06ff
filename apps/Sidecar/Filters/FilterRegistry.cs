using System.Security.Cryptography;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Stats;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Filters;

/// <summary>
/// Every wasm filter of the bootstrap by plugin name: loads them at start-up, swaps in new code
/// (admin API or a changed file), unloads them. Loading validates first; only a module that
/// loaded completely replaces the running one.
/// </summary>
public sealed class FilterRegistry : IStatsSource, IDisposable
{
    private readonly Dictionary<string, FilterSlot> _slots;
    private readonly IWasmFilterLoader _loader;
    private readonly int _replicas;
    private readonly ILogger _logger;
    private readonly object _loadLock = new();
    private int _generation;

    public FilterRegistry(IEnumerable<WasmFilterConfig> filters, IWasmFilterLoader loader, int replicas, ILogger<FilterRegistry> logger)
    {
        _slots = filters.ToDictionary(f => f.PluginName, f => new FilterSlot(f));
        _loader = loader;
        _replicas = replicas;
        _logger = logger;
    }

    public IReadOnlyCollection<FilterSlot> Slots => _slots.Values;

    public FilterSlot? Find(string name) => _slots.GetValueOrDefault(name);

    /// <summary>Loads every filter from its configured file; the first failure stops start-up.</summary>
    public void LoadAll()
    {
        foreach (var slot in _slots.Values) LoadFromFile(slot.Name, slot.Config.CodePath);
    }

    public FilterVersion LoadFromFile(string name, string path)
    {
        byte[] code;
        try { code = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FilterLoadException($"filter {name}: cannot read {path}: {e.Message}", e);
        }
        return Load(name, code, path);
    }

    /// <summary>Validates and loads <paramref name="code"/>, then swaps it in. Throws and keeps the old version on any failure.</summary>
    public FilterVersion Load(string name, ReadOnlyMemory<byte> code, string sourcePath)
    {
        var slot = Find(name) ?? throw new KeyNotFoundException($"no wasm filter named \"{name}\" in the bootstrap");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(code.Span));
        // One load at a time: two swaps racing would leave whichever finished last.
        lock (_loadLock)
        {
            LoadedWasm loaded;
            try { loaded = _loader.Load(slot.Config, code, _replicas); }
            catch (FilterLoadException) { throw; }
            catch (Exception e)
            {
                throw new FilterLoadException($"filter {name}: {sourcePath} did not load: {e.Message}", e);
            }
            var version = new FilterVersion(loaded.Filter, sourcePath, sha256, loaded.AbiVersion, _replicas, DateTimeOffset.UtcNow, ++_generation);
            slot.Swap(version);
            _logger.LogInformation("filter {Name}: loaded {Path} (sha256 {Sha}, ABI {Abi}, {Replicas} replicas)",
                name, sourcePath, sha256[..12], loaded.AbiVersion, _replicas);
            return version;
        }
    }

    /// <summary>Takes the filter out of the chain; requests in flight finish on it. False when it was not loaded.</summary>
    public bool Unload(string name)
    {
        var slot = Find(name) ?? throw new KeyNotFoundException($"no wasm filter named \"{name}\" in the bootstrap");
        lock (_loadLock)
        {
            if (slot.Current is null) return false;
            slot.Swap(null);
            _logger.LogWarning("filter {Name}: unloaded; requests now skip it", name);
            return true;
        }
    }

    public IEnumerable<StatValue> CollectStats()
    {
        foreach (var slot in _slots.Values)
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
        foreach (var slot in _slots.Values) slot.Swap(null);
    }
}
