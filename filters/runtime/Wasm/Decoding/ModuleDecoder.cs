namespace ImageHub.Wasm.Decoding;

/// <summary>
/// Reads the sections of a binary module into a <see cref="ModuleInfo"/>. It checks
/// everything that makes a module malformed (structure, encodings, counts); the
/// compiler checks the rest (types, indices), which makes a module invalid.
/// </summary>
internal static class ModuleDecoder
{
    private static readonly string[] SectionNames =
        ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "data count"];

    // The order sections must appear in; data count sits between element and code.
    private static int Rank(int id) => id switch { 12 => 10, 10 => 11, 11 => 12, _ => id };

    public static ModuleInfo Decode(ReadOnlyMemory<byte> bytes)
    {
        var r = new WasmReader(bytes);
        var m = new ModuleInfo { Bytes = bytes };
        if (bytes.Length < 4 || !bytes.Span[..4].SequenceEqual("\0asm"u8)) throw r.Malformed("magic header not detected", 0);
        r.Position = 4;
        if (bytes.Length < 8) throw r.Malformed("unexpected end", 4);
        if (!bytes.Span[4..8].SequenceEqual(new byte[] { 1, 0, 0, 0 })) throw r.Malformed("unknown binary version", 4);
        r.Position = 8;

        int lastRank = 0;
        int? functionCount = null;
        bool sawCode = false, sawData = false;
        while (!r.AtEnd)
        {
            r.Section = "header";
            int idAt = r.Position;
            byte id = r.ReadByte();
            if (id > 12) throw r.Malformed($"malformed section id {id}", idAt);
            r.Section = SectionNames[id];
            int size = r.ReadCount("section size");
            int start = r.Position;
            if (size > r.End - start) throw r.Malformed("unexpected end of section or function: section size out of bounds", start);
            if (id != 0)
            {
                if (Rank(id) <= lastRank) throw r.Malformed("unexpected content after last section (section out of order or duplicated)", idAt);
                lastRank = Rank(id);
            }
            int outerEnd = r.End;
            r.End = start + size;
            switch (id)
            {
                case 0: r.ReadName(); r.Position = r.End; break;
                case 1: ReadTypes(r, m); break;
                case 2: ReadImports(r, m); break;
                case 3:
                    int n = r.ReadCount("function count");
                    for (int i = 0; i < n; i++) m.FunctionTypes.Add(r.ReadCount("type index"));
                    functionCount = n;
                    break;
                case 4:
                    int tables = r.ReadCount("table count");
                    for (int i = 0; i < tables; i++) m.Tables.Add(ReadTableType(r));
                    break;
                case 5:
                    int memories = r.ReadCount("memory count");
                    for (int i = 0; i < memories; i++) m.Memories.Add(ReadLimits(r));
                    break;
                case 6:
                    int globals = r.ReadCount("global count");
                    for (int i = 0; i < globals; i++)
                    {
                        m.Globals.Add(ReadGlobalType(r));
                        m.GlobalInits.Add(ReadConstExpr(r));
                    }
                    break;
                case 7:
                    int exports = r.ReadCount("export count");
                    for (int i = 0; i < exports; i++)
                    {
                        string name = r.ReadName();
                        int kindAt = r.Position;
                        byte kind = r.ReadByte();
                        if (kind > 3) throw r.Malformed("malformed export kind", kindAt);
                        m.Exports.Add(new ExportEntry(name, (ExternKind)kind, r.ReadCount("export index")));
                    }
                    break;
                case 8: m.Start = r.ReadCount("function index"); break;
                case 9: ReadElements(r, m); break;
                case 10: ReadCode(r, m, functionCount ?? 0); sawCode = true; break;
                case 11: ReadData(r, m); sawData = true; break;
                case 12: m.DataCount = r.ReadCount("data count"); break;
            }
            if (r.Position != r.End) throw r.Malformed("section size mismatch", r.Position);
            r.End = outerEnd;
        }
        r.Section = "code";
        if (!sawCode && (functionCount ?? 0) != 0) throw r.Malformed("function and code section have inconsistent lengths");
        r.Section = "data";
        if (!sawData && (m.DataCount ?? 0) != 0) throw r.Malformed("data count and data section have inconsistent lengths");
        return m;
    }

    private static void ReadTypes(WasmReader r, ModuleInfo m)
    {
        int n = r.ReadCount("type count");
        for (int i = 0; i < n; i++)
        {
            int at = r.Position;
            if (r.ReadByte() != 0x60) throw r.Malformed("integer representation too long: malformed function type", at);
            var parameters = ReadValueTypes(r);
            var results = ReadValueTypes(r);
            // The JS API's limits, which V8 and wasmtime share; past a few thousand the JIT rejects
            // the compiled methods (InvalidProgramException) on their first call.
            if (parameters.Length > 1000 || results.Length > 1000)
                throw r.Invalid("function type with more than 1000 parameters or results (implementation limit)", at);
            m.Types.Add(new FunctionSignature(parameters, results));
        }
    }

    private static WasmValueType[] ReadValueTypes(WasmReader r)
    {
        int n = r.ReadCount("type count");
        if (n > r.End - r.Position) throw r.Malformed("unexpected end");
        var types = new WasmValueType[n];
        for (int i = 0; i < n; i++) types[i] = ReadValueType(r);
        return types;
    }

    public static WasmValueType ReadValueType(WasmReader r)
    {
        int at = r.Position;
        byte b = r.ReadByte();
        return b switch
        {
            0x7F or 0x7E or 0x7D or 0x7C or 0x70 or 0x6F => (WasmValueType)b,
            0x7B => throw r.Invalid("SIMD (v128) is not supported", at),
            _ => throw r.Malformed($"malformed value type 0x{b:x2}", at),
        };
    }

    private static WasmValueType ReadRefType(WasmReader r)
    {
        int at = r.Position;
        byte b = r.ReadByte();
        if (b is 0x70 or 0x6F) return (WasmValueType)b;
        throw r.Malformed($"malformed reference type 0x{b:x2}", at);
    }

    private static Limits ReadLimits(WasmReader r)
    {
        int at = r.Position;
        byte flag = r.ReadByte();
        if (flag > 1) throw r.Malformed("integer too large: malformed limits flags", at);
        ulong min = r.ReadU32();
        ulong? max = flag == 1 ? r.ReadU32() : null;
        return new Limits(min, max);
    }

    private static TableType ReadTableType(WasmReader r)
    {
        var type = ReadRefType(r);
        return new TableType(type, ReadLimits(r));
    }

    private static GlobalType ReadGlobalType(WasmReader r)
    {
        var type = ReadValueType(r);
        int at = r.Position;
        byte mut = r.ReadByte();
        if (mut > 1) throw r.Malformed("malformed mutability", at);
        return new GlobalType(type, mut == 1);
    }

    private static void ReadImports(WasmReader r, ModuleInfo m)
    {
        int n = r.ReadCount("import count");
        for (int i = 0; i < n; i++)
        {
            string module = r.ReadName();
            string name = r.ReadName();
            int at = r.Position;
            byte kind = r.ReadByte();
            switch (kind)
            {
                case 0:
                    int type = r.ReadCount("type index");
                    m.Imports.Add(new ImportEntry(module, name, ExternKind.Function, type, default, default, default));
                    m.FunctionTypes.Add(type);
                    m.ImportedFunctionCount++;
                    break;
                case 1:
                    var table = ReadTableType(r);
                    m.Imports.Add(new ImportEntry(module, name, ExternKind.Table, 0, table, default, default));
                    m.Tables.Add(table);
                    m.ImportedTableCount++;
                    break;
                case 2:
                    var memory = ReadLimits(r);
                    m.Imports.Add(new ImportEntry(module, name, ExternKind.Memory, 0, default, memory, default));
                    m.Memories.Add(memory);
                    m.ImportedMemoryCount++;
                    break;
                case 3:
                    var global = ReadGlobalType(r);
                    m.Imports.Add(new ImportEntry(module, name, ExternKind.Global, 0, default, default, global));
                    m.Globals.Add(global);
                    m.GlobalInits.Add(null);
                    m.ImportedGlobalCount++;
                    break;
                default: throw r.Malformed("malformed import kind", at);
            }
        }
    }

    /// <summary>Finds the end of a constant expression; its meaning is checked by the validator.</summary>
    private static ConstExpr ReadConstExpr(WasmReader r)
    {
        int start = r.Position;
        while (true)
        {
            int at = r.Position;
            byte op = r.ReadByte();
            switch (op)
            {
                case 0x0B: return new ConstExpr(start, r.Position - start);
                case 0x41: r.ReadS32(); break;
                case 0x42: r.ReadS64(); break;
                case 0x43: r.ReadBytes(4); break;
                case 0x44: r.ReadBytes(8); break;
                case 0x23: r.ReadU32(); break;
                case 0xD0: ReadRefType(r); break;
                case 0xD2: r.ReadU32(); break;
                default:
                    bool known = op is <= 0x11 or (>= 0x1A and <= 0x1C) or (>= 0x20 and <= 0x26) or (>= 0x28 and <= 0xC4) or (>= 0xD0 and <= 0xD2) or 0xFC;
                    throw known ? r.Invalid($"constant expression required (opcode 0x{op:x2})", at) : r.Malformed($"illegal opcode 0x{op:x2}", at);
            }
        }
    }

    private static void ReadElements(WasmReader r, ModuleInfo m)
    {
        int n = r.ReadCount("segment count");
        for (int i = 0; i < n; i++)
        {
            int at = r.Position;
            uint flags = r.ReadU32();
            if (flags > 7) throw r.Malformed("malformed elements segment kind", at);
            var mode = (flags & 1) == 0 ? SegmentMode.Active : (flags & 2) == 0 ? SegmentMode.Passive : SegmentMode.Declarative;
            int table = 0;
            ConstExpr? offset = null;
            if (mode == SegmentMode.Active)
            {
                if ((flags & 2) != 0) table = r.ReadCount("table index");
                offset = ReadConstExpr(r);
            }
            bool usesExpressions = (flags & 4) != 0;
            var type = WasmValueType.FuncRef;
            if ((flags & 3) != 0)
            {
                if (usesExpressions) type = ReadRefType(r);
                else
                {
                    int kindAt = r.Position;
                    if (r.ReadByte() != 0) throw r.Malformed("malformed element kind", kindAt);
                }
            }
            int count = r.ReadCount("element count");
            if (count > r.End - r.Position) throw r.Malformed("unexpected end");
            if (usesExpressions)
            {
                var items = new ConstExpr[count];
                for (int j = 0; j < count; j++) items[j] = ReadConstExpr(r);
                m.Elements.Add(new ElementSegment(mode, table, offset, type, null, items, at));
            }
            else
            {
                var items = new int[count];
                for (int j = 0; j < count; j++) items[j] = r.ReadCount("function index");
                m.Elements.Add(new ElementSegment(mode, table, offset, type, items, null, at));
            }
        }
    }

    private static void ReadCode(WasmReader r, ModuleInfo m, int functionCount)
    {
        int n = r.ReadCount("function count");
        if (n != functionCount) throw r.Malformed("function and code section have inconsistent lengths");
        for (int i = 0; i < n; i++)
        {
            int size = r.ReadCount("function size");
            int start = r.Position;
            if (size > r.End - start) throw r.Malformed("unexpected end of section or function: function size out of bounds");
            int sectionEnd = r.End;
            r.End = start + size;
            int groups = r.ReadCount("local count");
            var locals = new List<LocalGroup>();
            ulong total = 0;
            for (int g = 0; g < groups; g++)
            {
                uint count = r.ReadU32();
                total += count;
                if (total > uint.MaxValue) throw r.Malformed("too many locals");
                var type = ReadValueType(r);
                if (count > 0) locals.Add(new LocalGroup((int)Math.Min(count, int.MaxValue), type));
            }
            if (total > 50_000) throw r.Invalid("too many locals (implementation limit 50000)");
            m.Bodies.Add(new FunctionBody([.. locals], r.Position, r.End));
            r.Position = r.End;
            r.End = sectionEnd;
        }
    }

    private static void ReadData(WasmReader r, ModuleInfo m)
    {
        int n = r.ReadCount("segment count");
        if (m.DataCount is { } declared && declared != n) throw r.Malformed("data count and data section have inconsistent lengths");
        for (int i = 0; i < n; i++)
        {
            int at = r.Position;
            uint flags = r.ReadU32();
            if (flags > 2) throw r.Malformed("malformed data segment kind", at);
            int memory = flags == 2 ? r.ReadCount("memory index") : 0;
            ConstExpr? offset = flags == 1 ? null : ReadConstExpr(r);
            int length = r.ReadCount("data length");
            int start = r.Position;
            r.ReadBytes(length);
            m.Data.Add(new DataSegment(flags == 1 ? SegmentMode.Passive : SegmentMode.Active, memory, offset, r.Memory.Slice(start, length), at));
        }
    }
}
