using System.Runtime.InteropServices;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// A count kept per replica slot, each slot's cell on its own cache lines. Streams open and end
/// on every core at once; one shared field would move between the cores' caches on every
/// stream (and take the plugin's read-mostly fields on the same line with it), while a slot's
/// cell stays with the core whose streams its replica serves.
/// </summary>
internal sealed class SlotCounter(int slots)
{
    // 128 bytes a cell, the value in the middle: no neighbour on its line, nor on the line the
    // hardware prefetches with it.
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Cell
    {
        [FieldOffset(64)] public long Value;
    }

    private readonly Cell[] _cells = new Cell[slots];

    public void Add(int slot, long amount) => Interlocked.Add(ref _cells[slot].Value, amount);

    public long Sum()
    {
        long sum = 0;
        for (var i = 0; i < _cells.Length; i++) sum += Volatile.Read(ref _cells[i].Value);
        return sum;
    }
}
