using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Shared;

/// <summary>
/// Host-wide key/value data shared by every replica of every plugin with the same VM id,
/// with compare-and-swap: each write gets a new non-zero CAS; a write that names a CAS
/// succeeds only while the value still has that CAS (0 means "unconditionally").
/// </summary>
public sealed class SharedDataStore
{
    private readonly Dictionary<(string VmId, string Key), (byte[] Value, uint Cas)> _data = new();
    private readonly Lock _gate = new();
    private uint _lastCas;

    public WasmResult Get(string vmId, string key, out byte[] value, out uint cas)
    {
        lock (_gate)
        {
            if (_data.TryGetValue((vmId, key), out var entry))
            {
                (value, cas) = entry;
                return WasmResult.Ok;
            }
        }
        value = [];
        cas = 0;
        return WasmResult.NotFound;
    }

    public WasmResult Set(string vmId, string key, ReadOnlySpan<byte> value, uint cas)
    {
        lock (_gate)
        {
            if (_data.TryGetValue((vmId, key), out var entry) && cas != 0 && cas != entry.Cas)
                return WasmResult.CasMismatch;
            _data[(vmId, key)] = (value.ToArray(), NextCas());
            return WasmResult.Ok;
        }
    }

    /// <summary>The keys stored for a VM id (for the admin API and tests).</summary>
    public IReadOnlyList<string> Keys(string vmId)
    {
        lock (_gate) return _data.Keys.Where(k => k.VmId == vmId).Select(k => k.Key).ToList();
    }

    private uint NextCas()
    {
        _lastCas++;
        if (_lastCas == 0) _lastCas++;
        return _lastCas;
    }
}
