using System.Buffers.Binary;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// Bounds-checked access to a guest's memory for hostcalls: a bad pointer makes the hostcall
/// answer InvalidMemoryAccess (as proxy-wasm-cpp-host does) instead of trapping.
/// </summary>
internal static class GuestMemory
{
    public static bool TryRead(IWasmMemory memory, int address, int length, out ReadOnlySpan<byte> bytes)
    {
        var span = memory.Span;
        if ((ulong)(uint)address + (uint)length > (ulong)span.Length)
        {
            bytes = default;
            return false;
        }
        bytes = span.Slice(address, length);
        return true;
    }

    public static bool TryWrite(IWasmMemory memory, int address, ReadOnlySpan<byte> bytes)
    {
        var span = memory.Span;
        if ((ulong)(uint)address + (uint)bytes.Length > (ulong)span.Length) return false;
        bytes.CopyTo(span[address..]);
        return true;
    }

    public static bool TryWriteUInt32(IWasmMemory memory, int address, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return TryWrite(memory, address, bytes);
    }

    public static bool TryWriteUInt64(IWasmMemory memory, int address, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return TryWrite(memory, address, bytes);
    }

    public static bool TryReadUtf8(IWasmMemory memory, int address, int length, out string text)
    {
        text = "";
        if (!TryRead(memory, address, length, out var bytes)) return false;
        text = System.Text.Encoding.UTF8.GetString(bytes);
        return true;
    }
}
