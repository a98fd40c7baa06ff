namespace ImageHub.Wasm.Runtime;

/// <summary>Bulk memory, table and reference instructions, called from compiled code.</summary>
public static class Bulk
{
    public static void MemoryCopy(int destination, int source, int count, WasmInstance instance)
    {
        var bytes = instance.Memory!.Bytes;
        if ((ulong)(uint)destination + (uint)count > (ulong)bytes.Length || (ulong)(uint)source + (uint)count > (ulong)bytes.Length) throw Traps.OutOfBoundsMemory();
        Buffer.BlockCopy(bytes, source, bytes, destination, count);
    }

    public static void MemoryFill(int destination, int value, int count, WasmInstance instance)
    {
        var bytes = instance.Memory!.Bytes;
        if ((ulong)(uint)destination + (uint)count > (ulong)bytes.Length) throw Traps.OutOfBoundsMemory();
        bytes.AsSpan(destination, count).Fill((byte)value);
    }

    public static void MemoryInit(int destination, int source, int count, int segment, WasmInstance instance)
    {
        var bytes = instance.Memory!.Bytes;
        var data = instance.DataSegments[segment];
        int length = data?.Length ?? 0;
        if ((ulong)(uint)destination + (uint)count > (ulong)bytes.Length || (ulong)(uint)source + (uint)count > (ulong)length) throw Traps.OutOfBoundsMemory();
        if (count > 0) data.AsSpan(source, count).CopyTo(bytes.AsSpan(destination));
    }

    public static void DataDrop(int segment, WasmInstance instance) => instance.DataSegments[segment] = null;

    public static int MemoryGrow(int delta, WasmInstance instance) => instance.Memory!.GrowUnsigned(delta);

    public static object? TableGet(int index, int table, WasmInstance instance)
    {
        var t = instance.Tables[table];
        if ((uint)index >= (uint)t.Size) throw Traps.OutOfBoundsTable();
        return t.Elements[index];
    }

    public static void TableSet(int index, object? value, int table, WasmInstance instance)
    {
        var t = instance.Tables[table];
        if ((uint)index >= (uint)t.Size) throw Traps.OutOfBoundsTable();
        t.Elements[index] = value;
    }

    public static int TableSize(int table, WasmInstance instance) => instance.Tables[table].Size;

    public static int TableGrow(object? value, int delta, int table, WasmInstance instance) => instance.Tables[table].Grow(delta, value);

    public static void TableFill(int index, object? value, int count, int table, WasmInstance instance)
    {
        var t = instance.Tables[table];
        if ((ulong)(uint)index + (uint)count > (ulong)t.Size) throw Traps.OutOfBoundsTable();
        Array.Fill(t.Elements, value, index, count);
    }

    public static void TableCopy(int destination, int source, int count, int destinationTable, int sourceTable, WasmInstance instance)
    {
        var d = instance.Tables[destinationTable];
        var s = instance.Tables[sourceTable];
        if ((ulong)(uint)destination + (uint)count > (ulong)d.Size || (ulong)(uint)source + (uint)count > (ulong)s.Size) throw Traps.OutOfBoundsTable();
        Array.Copy(s.Elements, source, d.Elements, destination, count);
    }

    public static void TableInit(int destination, int source, int count, int segment, int table, WasmInstance instance)
    {
        var t = instance.Tables[table];
        var items = instance.ElementSegments[segment];
        int length = items?.Length ?? 0;
        if ((ulong)(uint)destination + (uint)count > (ulong)t.Size || (ulong)(uint)source + (uint)count > (ulong)length) throw Traps.OutOfBoundsTable();
        if (count > 0) Array.Copy(items!, source, t.Elements, destination, count);
    }

    public static void ElemDrop(int segment, WasmInstance instance) => instance.ElementSegments[segment] = null;

    /// <summary>The checks of <c>call_indirect</c>: in bounds, initialised, same signature.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static FuncRef ResolveIndirect(int index, int typeId, TableInstance table)
    {
        if ((uint)index >= (uint)table.Size) throw Traps.OutOfBoundsTable("undefined element");
        var f = table.Elements[index] as FuncRef;
        if (f is null) throw Traps.UninitializedElement();
        if (f.TypeId != typeId) throw Traps.IndirectCallTypeMismatch();
        return f;
    }
}
