using System.Collections.Concurrent;
using System.Security.Cryptography;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Testing;

/// <summary>
/// The project's own WebAssembly engine, which the harness uses unless told otherwise. It
/// remembers compiled modules by content, so a test suite that loads the same filter in
/// every test compiles it once (instances are still new for every harness).
/// </summary>
internal sealed class DefaultEngine : IWasmEngine
{
    private static readonly DefaultEngine Shared = new();
    private readonly WasmEngine _engine = new();
    private readonly ConcurrentDictionary<string, Lazy<IWasmModule>> _modules = new();

    public static IWasmEngine Create() => Shared;

    public IWasmModule Compile(ReadOnlyMemory<byte> bytes)
    {
        var key = Convert.ToHexString(SHA256.HashData(bytes.Span));
        var copy = bytes.ToArray();
        var module = _modules.GetOrAdd(key, _ => new Lazy<IWasmModule>(() => _engine.Compile(copy)));
        try
        {
            return module.Value;
        }
        catch
        {
            // Bad bytes are reported every time, not cached.
            _modules.TryRemove(key, out _);
            throw;
        }
    }
}
