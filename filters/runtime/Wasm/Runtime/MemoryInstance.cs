using System.Buffers.Binary;
using System.Text;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// A linear memory backed by a managed array (so it is collected with its
/// instances). Compiled code caches <see cref="Bytes"/> and reloads it after
/// calls and <c>memory.grow</c>, which replace the array.
/// </summary>
public sealed class MemoryInstance : IWasmMemory
{
    public const int PageSize = 65536;
    /// <summary>The most pages a managed array can hold.</summary>
    public const int ArrayPageLimit = 32767;

    /// <summary>Replaced only by <see cref="Grow"/>, with a larger array: compiled code relies on memory never shrinking.</summary>
    public byte[] Bytes;
    private readonly int _maxPages;

    /// <param name="declaredMax">The maximum in the module's type (kept for import matching).</param>
    public MemoryInstance(int initialPages, uint? declaredMax, int limitPages = 65536)
    {
        DeclaredMax = declaredMax;
        _maxPages = (int)Math.Min(Math.Min(declaredMax ?? 65536u, (uint)Math.Max(0, limitPages)), ArrayPageLimit);
        if (initialPages > _maxPages)
            throw new WasmTrapException(TrapKind.OutOfBoundsMemory, $"memory of {initialPages} pages exceeds the limit of {_maxPages} pages");
        Bytes = new byte[(long)initialPages * PageSize];
    }

    public uint? DeclaredMax { get; }
    public int PageCount => Bytes.Length / PageSize;
    public int MaxPageCount => _maxPages;

    public int Grow(int deltaPages)
    {
        int old = PageCount;
        if (deltaPages < 0 || (long)old + deltaPages > _maxPages) return -1;
        if (deltaPages == 0) return old;
        byte[] bigger;
        try { bigger = new byte[(long)(old + deltaPages) * PageSize]; }
        catch (OutOfMemoryException) { return -1; }
        Bytes.AsSpan().CopyTo(bigger);
        Bytes = bigger;
        return old;
    }

    /// <summary><c>memory.grow</c>: the delta is an unsigned page count.</summary>
    public int GrowUnsigned(int deltaPages) => deltaPages < 0 ? -1 : Grow(deltaPages);

    public Span<byte> Span => Bytes;

    public Span<byte> Slice(uint address, uint length)
    {
        if ((ulong)address + length > (ulong)Bytes.Length) throw Traps.OutOfBoundsMemory();
        return Bytes.AsSpan((int)address, (int)length);
    }

    public string ReadUtf8(uint address, uint length) => Encoding.UTF8.GetString(Slice(address, length));

    public uint ReadUInt32(uint address) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(address, 4));

    public void WriteUInt32(uint address, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Slice(address, 4), value);

    public void Write(uint address, ReadOnlySpan<byte> bytes) => bytes.CopyTo(Slice(address, (uint)bytes.Length));
}
