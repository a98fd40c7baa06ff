namespace ImageHub.Wasm;

/// <summary>
/// Linear memory as a host sees it. Every accessor checks bounds and throws
/// <see cref="WasmTrapException"/> with <see cref="TrapKind.OutOfBoundsMemory"/>,
/// so a guest passing a bad pointer to a hostcall cannot hurt the host.
/// Spans are only valid until the memory grows.
/// </summary>
public interface IWasmMemory
{
    /// <summary>Current size in 64 KiB pages.</summary>
    int PageCount { get; }

    /// <summary>Maximum pages, from the module and the instance limits.</summary>
    int MaxPageCount { get; }

    /// <summary>Grows by <paramref name="deltaPages"/>; returns the old page count, or -1 when refused.</summary>
    int Grow(int deltaPages);

    /// <summary>The whole memory as it is now.</summary>
    Span<byte> Span { get; }

    /// <summary>A bounds-checked window.</summary>
    Span<byte> Slice(uint address, uint length);

    string ReadUtf8(uint address, uint length);

    uint ReadUInt32(uint address);

    void WriteUInt32(uint address, uint value);

    void Write(uint address, ReadOnlySpan<byte> bytes);
}
