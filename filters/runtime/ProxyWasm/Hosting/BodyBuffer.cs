using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>A growable body buffer with Envoy's rules for <c>proxy_set_buffer_bytes</c>.</summary>
internal sealed class BodyBuffer
{
    private byte[] _bytes = [];
    private int _length;

    public int Length => _length;

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, _length);

    public byte[] ToArray() => Span.ToArray();

    public void Append(ReadOnlySpan<byte> data)
    {
        EnsureCapacity(_length + data.Length);
        data.CopyTo(_bytes.AsSpan(_length));
        _length += data.Length;
    }

    public void Clear() => _length = 0;

    /// <summary>
    /// start 0 and length 0 prepends; start 0 and length ≥ size replaces everything;
    /// start ≥ size appends; anything else (a splice in the middle) is BadArgument.
    /// </summary>
    public WasmResult Splice(int start, int length, ReadOnlySpan<byte> data)
    {
        if (start == 0 && length == 0)
        {
            var old = Span.ToArray();
            _length = 0;
            Append(data);
            Append(old);
            return WasmResult.Ok;
        }
        if (start == 0 && length >= _length)
        {
            _length = 0;
            Append(data);
            return WasmResult.Ok;
        }
        if (start >= _length)
        {
            Append(data);
            return WasmResult.Ok;
        }
        return WasmResult.BadArgument;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _bytes.Length) return;
        Array.Resize(ref _bytes, Math.Max(needed, Math.Max(256, _bytes.Length * 2)));
    }
}
