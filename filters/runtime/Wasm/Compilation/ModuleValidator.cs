using ImageHub.Wasm.Decoding;

namespace ImageHub.Wasm.Compilation;

/// <summary>
/// Module-level validation (everything except function bodies, which the
/// <see cref="FunctionCompiler"/> validates while compiling them).
/// Returns the functions that <c>ref.func</c> may name.
/// </summary>
internal static class ModuleValidator
{
    private const ulong MaxPages = 65536;

    public static HashSet<int> Validate(ModuleInfo m)
    {
        var references = new HashSet<int>();
        for (int i = 0; i < m.FunctionTypes.Count; i++)
            if (m.FunctionTypes[i] >= m.Types.Count) throw Invalid(i < m.ImportedFunctionCount ? "import" : "function", $"unknown type {m.FunctionTypes[i]}");
        foreach (var t in m.Tables) CheckLimits(t.Limits, uint.MaxValue, "table", "table size");
        foreach (var mem in m.Memories) CheckLimits(mem, MaxPages, "memory", "memory size must be at most 65536 pages (4GiB)");
        if (m.Memories.Count > 1) throw Invalid("memory", "multiple memories");

        for (int g = m.ImportedGlobalCount; g < m.Globals.Count; g++)
            ConstExpressions.Validate(m, m.GlobalInits[g]!, m.Globals[g].Type, "global", references);

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in m.Exports)
        {
            if (!names.Add(e.Name)) throw Invalid("export", $"duplicate export name \"{e.Name}\"");
            int count = e.Kind switch
            {
                ExternKind.Function => m.FunctionTypes.Count,
                ExternKind.Table => m.Tables.Count,
                ExternKind.Memory => m.Memories.Count,
                _ => m.Globals.Count,
            };
            if (e.Index >= count) throw Invalid("export", $"unknown {e.Kind.ToString().ToLowerInvariant()} {e.Index}");
            if (e.Kind == ExternKind.Function) references.Add(e.Index);
        }

        if (m.Start is { } start)
        {
            if (start >= m.FunctionTypes.Count) throw Invalid("start", $"unknown function {start}");
            var s = m.FunctionSignature(start);
            if (s.Parameters.Count != 0 || s.Results.Count != 0) throw Invalid("start", "start function must have type [] -> []");
        }

        foreach (var seg in m.Elements)
        {
            if (seg.Mode == SegmentMode.Active)
            {
                if (seg.TableIndex >= m.Tables.Count) throw Invalid("element", $"unknown table {seg.TableIndex}", seg.At);
                if (m.Tables[seg.TableIndex].ElementType != seg.ElementType) throw Invalid("element", "type mismatch: segment and table element types differ", seg.At);
                ConstExpressions.Validate(m, seg.Offset!, WasmValueType.I32, "element", references);
            }
            if (seg.FunctionIndices is { } indices)
            {
                foreach (int f in indices)
                {
                    if (f >= m.FunctionTypes.Count) throw Invalid("element", $"unknown function {f}", seg.At);
                    references.Add(f);
                }
            }
            else
            {
                foreach (var item in seg.Expressions!) ConstExpressions.Validate(m, item, seg.ElementType, "element", references);
            }
        }

        foreach (var d in m.Data)
        {
            if (d.Mode != SegmentMode.Active) continue;
            if (d.MemoryIndex >= m.Memories.Count) throw Invalid("data", $"unknown memory {d.MemoryIndex}", d.At);
            ConstExpressions.Validate(m, d.Offset!, WasmValueType.I32, "data", references);
        }
        return references;
    }

    private static void CheckLimits(Limits limits, ulong bound, string section, string tooLarge)
    {
        if (limits.Min > bound || limits.Max > bound) throw Invalid(section, tooLarge);
        if (limits.Max is { } max && limits.Min > max) throw Invalid(section, "size minimum must not be greater than maximum");
    }

    private static WasmFormatException Invalid(string section, string reason, long offset = 0) =>
        new(WasmFormatProblem.Invalid, section, offset, reason);
}
