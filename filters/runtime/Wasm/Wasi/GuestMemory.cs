using System.Buffers.Binary;

namespace ImageHub.Wasm.Wasi;

/// <summary>
/// Bounds-checked little-endian access to a guest's linear memory for one WASI call.
/// A pointer the guest passes that does not fit answers <see cref="WasiErrno.Fault"/>
/// instead of trapping, as the WASI reference hosts do.
/// </summary>
internal readonly ref struct GuestMemory(Span<byte> memory)
{
    private readonly Span<byte> _memory = memory;

    public static GuestMemory Of(WasmCaller caller) => new(caller.Memory.Span);

    public bool TryRange(int address, long length, out Span<byte> range)
    {
        var start = (uint)address;
        if (length < 0 || start + (ulong)length > (ulong)_memory.Length)
        {
            range = default;
            return false;
        }
        range = _memory.Slice((int)start, (int)length);
        return true;
    }

    public bool Fits(int address, long length) => TryRange(address, length, out _);

    public bool TryReadUInt32(int address, out uint value)
    {
        if (!TryRange(address, 4, out var range))
        {
            value = 0;
            return false;
        }
        value = BinaryPrimitives.ReadUInt32LittleEndian(range);
        return true;
    }

    public bool TryWriteUInt32(int address, uint value)
    {
        if (!TryRange(address, 4, out var range)) return false;
        BinaryPrimitives.WriteUInt32LittleEndian(range, value);
        return true;
    }

    public bool TryWriteUInt64(int address, ulong value)
    {
        if (!TryRange(address, 8, out var range)) return false;
        BinaryPrimitives.WriteUInt64LittleEndian(range, value);
        return true;
    }

    /// <summary>
    /// Checks an <c>iovec</c> array: the array and every buffer it names must lie in memory,
    /// so that a call either touches all of them or none. Reads no more than the guest's own
    /// memory, whatever count it passes.
    /// </summary>
    public WasiErrno CheckIovecs(int iovs, int count, out long totalLength)
    {
        totalLength = 0;
        if (!TryRange(iovs, (long)(uint)count * WasiLayout.IovecSize, out var table)) return WasiErrno.Fault;
        ulong total = 0;
        for (var offset = 0; offset < table.Length; offset += WasiLayout.IovecSize)
        {
            var address = BinaryPrimitives.ReadUInt32LittleEndian(table[offset..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(table[(offset + 4)..]);
            if (!Fits((int)address, length)) return WasiErrno.Fault;
            total += length;
        }
        // The byte count goes back to the guest as a u32 $size.
        if (total > uint.MaxValue) return WasiErrno.Invalid;
        totalLength = (long)total;
        return WasiErrno.Success;
    }

    /// <summary>Buffer <paramref name="index"/> of an iovec array that <see cref="CheckIovecs"/> accepted.</summary>
    public Span<byte> Iovec(int iovs, int index)
    {
        var entry = _memory[(int)((uint)iovs + (uint)index * (long)WasiLayout.IovecSize)..];
        var address = BinaryPrimitives.ReadUInt32LittleEndian(entry);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
        return _memory.Slice((int)address, (int)length);
    }
}
