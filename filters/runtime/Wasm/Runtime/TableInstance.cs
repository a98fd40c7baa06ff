namespace ImageHub.Wasm.Runtime;

/// <summary>A table of references (funcref tables hold <see cref="FuncRef"/> or null).</summary>
public sealed class TableInstance : IWasmTable
{
    public object?[] Elements;
    private int _size;
    private readonly int _maxSize;

    public TableInstance(WasmValueType elementType, int initialSize, uint? declaredMax, int limitElements = 10_000_000)
    {
        ElementType = elementType;
        DeclaredMax = declaredMax;
        _maxSize = (int)Math.Min(declaredMax ?? uint.MaxValue, (uint)Math.Max(0, limitElements));
        if (initialSize > _maxSize)
            throw new WasmTrapException(TrapKind.OutOfBoundsTable, $"table of {initialSize} elements exceeds the limit of {_maxSize}");
        Elements = new object?[initialSize];
        _size = initialSize;
    }

    public WasmValueType ElementType { get; }
    public uint? DeclaredMax { get; }
    public int Size => _size;

    public object? this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_size) throw Traps.OutOfBoundsTable();
            return Elements[index];
        }
        set
        {
            if ((uint)index >= (uint)_size) throw Traps.OutOfBoundsTable();
            if (ElementType == WasmValueType.FuncRef && value is not null and not FuncRef)
                throw new ArgumentException("a funcref table holds only functions or null");
            Elements[index] = value;
        }
    }

    public int Grow(int delta, object? initial)
    {
        int old = _size;
        if (delta < 0 || (long)old + delta > _maxSize) return -1;
        long wanted = (long)old + delta;
        if (wanted > Elements.Length)
        {
            long capacity = Math.Min(Math.Max(wanted, (long)Elements.Length * 2), _maxSize);
            if (capacity > Array.MaxLength) return -1;
            object?[] bigger;
            try { bigger = new object?[capacity]; }
            catch (OutOfMemoryException) { return -1; }
            Array.Copy(Elements, bigger, old);
            Elements = bigger;
        }
        Array.Fill(Elements, initial, old, delta);
        _size = (int)wanted;
        return old;
    }
}
