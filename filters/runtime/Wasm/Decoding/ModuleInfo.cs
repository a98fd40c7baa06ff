namespace ImageHub.Wasm.Decoding;

/// <summary>Size limits of a memory (in pages) or table (in elements).</summary>
internal readonly record struct Limits(ulong Min, ulong? Max);

internal readonly record struct TableType(WasmValueType ElementType, Limits Limits);

internal readonly record struct GlobalType(WasmValueType Type, bool Mutable);

/// <summary>A constant expression: where its bytes are, decoded once at validation.</summary>
internal sealed record ConstExpr(int Offset, int Length);

internal sealed record ImportEntry(string Module, string Name, ExternKind Kind, int TypeIndex, TableType Table, Limits Memory, GlobalType Global);

internal sealed record ExportEntry(string Name, ExternKind Kind, int Index);

internal enum SegmentMode { Active, Passive, Declarative }

/// <summary>An element segment; items are either function indices or constant expressions.</summary>
internal sealed record ElementSegment(SegmentMode Mode, int TableIndex, ConstExpr? Offset, WasmValueType ElementType, int[]? FunctionIndices, ConstExpr[]? Expressions, int At)
{
    public int Count => FunctionIndices?.Length ?? Expressions!.Length;
}

internal sealed record DataSegment(SegmentMode Mode, int MemoryIndex, ConstExpr? Offset, ReadOnlyMemory<byte> Bytes, int At);

internal sealed record LocalGroup(int Count, WasmValueType Type);

/// <summary>A function body: locals plus the byte range of its instructions.</summary>
internal sealed record FunctionBody(LocalGroup[] Locals, int CodeStart, int CodeEnd);

/// <summary>Everything the decoder read from a module, before validation.</summary>
internal sealed class ModuleInfo
{
    public ReadOnlyMemory<byte> Bytes;
    public List<FunctionSignature> Types { get; } = [];
    public List<ImportEntry> Imports { get; } = [];
    /// <summary>Type index of every function, imported ones first.</summary>
    public List<int> FunctionTypes { get; } = [];
    public int ImportedFunctionCount;
    public List<TableType> Tables { get; } = [];
    public int ImportedTableCount;
    public List<Limits> Memories { get; } = [];
    public int ImportedMemoryCount;
    public List<GlobalType> Globals { get; } = [];
    public List<ConstExpr?> GlobalInits { get; } = [];
    public int ImportedGlobalCount;
    public List<ExportEntry> Exports { get; } = [];
    public int? Start;
    public List<ElementSegment> Elements { get; } = [];
    public List<DataSegment> Data { get; } = [];
    public int? DataCount;
    public List<FunctionBody> Bodies { get; } = [];

    public FunctionSignature FunctionSignature(int functionIndex) => Types[FunctionTypes[functionIndex]];
}
