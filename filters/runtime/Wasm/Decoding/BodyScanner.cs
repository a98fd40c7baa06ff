namespace ImageHub.Wasm.Decoding;

/// <summary>
/// A syntax-only pass over function bodies. The compiler validates while it
/// decodes, so when it finds a module invalid this pass tells whether the bytes
/// are also malformed further on — malformed wins, as in the specification.
/// </summary>
internal static class BodyScanner
{
    public static WasmFormatException? FindMalformation(ModuleInfo m)
    {
        for (int i = 0; i < m.Bodies.Count; i++)
        {
            var body = m.Bodies[i];
            var r = new WasmReader(m.Bytes) { Position = body.CodeStart, End = body.CodeEnd, Section = $"code (function {m.ImportedFunctionCount + i})" };
            try { Scan(r); }
            catch (WasmFormatException e) when (e.Problem == WasmFormatProblem.Malformed) { return e; }
            catch (WasmFormatException) { }
        }
        return null;
    }

    /// <summary>
    /// Whether a body reads or writes linear memory or asks its size; the compiler caches the
    /// memory only in functions that do. A body that does not scan says yes (the compiler reports it).
    /// </summary>
    public static bool UsesMemory(ModuleInfo m, FunctionBody body)
    {
        var r = new WasmReader(m.Bytes) { Position = body.CodeStart, End = body.CodeEnd, Section = "code" };
        try { return Scan(r); }
        catch (WasmFormatException) { return true; }
    }

    /// <summary>Bodies up to this size (in bytes, locals' declarations included) may compile to straight code; see <see cref="IsStraightLeaf"/>.</summary>
    public const int StraightLeafMaxBytes = 128;

    /// <summary>
    /// Whether a body is small (at most <see cref="StraightLeafMaxBytes"/> bytes and 16 parameters
    /// and locals), has no loop and makes no call except straight before an unreachable: it then
    /// needs no checks on entry. A body that does not scan says no.
    /// </summary>
    public static bool IsStraightLeaf(ModuleInfo m, FunctionBody body, int parameterCount)
    {
        if (body.CodeEnd - body.CodeStart > StraightLeafMaxBytes) return false;
        long locals = parameterCount;
        foreach (var group in body.Locals) locals += group.Count;
        if (locals > 16) return false;
        var r = new WasmReader(m.Bytes) { Position = body.CodeStart, End = body.CodeEnd, Section = "code" };
        bool loopsOrCalls = false;
        try { Scan(r, () => loopsOrCalls = true); }
        catch (WasmFormatException) { return false; }
        return !loopsOrCalls;
    }

    /// <summary>
    /// Reads one body to its end; returns whether it has a load, store or memory.size. Calls
    /// <paramref name="loopOrCall"/> at a loop and at a call not followed by unreachable.
    /// </summary>
    private static bool Scan(WasmReader r, Action? loopOrCall = null)
    {
        bool usesMemory = false;
        int depth = 1;
        while (depth > 0)
        {
            int at = r.Position;
            byte op = r.ReadByte();
            switch (op)
            {
                case 0x02 or 0x03 or 0x04:
                    if (op == 0x03) loopOrCall?.Invoke();
                    byte b = r.PeekByte();
                    if (b == 0x40 || b is 0x7F or 0x7E or 0x7D or 0x7C or 0x70 or 0x6F or 0x7B) r.Position++;
                    else if (r.ReadS33() < 0) throw r.Malformed("malformed block type", at);
                    depth++;
                    break;
                case 0x0B: depth--; break;
                case 0x0C or 0x0D or 0x10 or 0x20 or 0x21 or 0x22 or 0x23 or 0x24 or 0x25 or 0x26 or 0xD2:
                    r.ReadU32();
                    if (op == 0x10 && (r.AtEnd || r.PeekByte() != 0x00)) loopOrCall?.Invoke();
                    break;
                case 0x0E:
                    uint n = r.ReadU32();
                    for (uint i = 0; i <= n; i++) r.ReadU32();
                    break;
                case 0x11:
                    r.ReadU32(); r.ReadU32();
                    if (r.AtEnd || r.PeekByte() != 0x00) loopOrCall?.Invoke();
                    break;
                case 0x1C:
                    uint k = r.ReadU32();
                    for (uint i = 0; i < k; i++) ModuleDecoder.ReadValueType(r);
                    break;
                case >= 0x28 and <= 0x3E: r.ReadU32(); r.ReadU32(); usesMemory = true; break;
                case 0x3F or 0x40:
                    if (r.ReadByte() != 0) throw r.Malformed("zero byte expected", at);
                    usesMemory |= op == 0x3F;
                    break;
                case 0x41: r.ReadS32(); break;
                case 0x42: r.ReadS64(); break;
                case 0x43: r.ReadBytes(4); break;
                case 0x44: r.ReadBytes(8); break;
                case 0xD0:
                    if (r.ReadByte() is not (0x70 or 0x6F)) throw r.Malformed("malformed reference type", at);
                    break;
                case 0xFC:
                    uint sub = r.ReadU32();
                    switch (sub)
                    {
                        case <= 7: break;
                        case 8: r.ReadU32(); r.ReadByte(); break;
                        case 9 or 13 or 15 or 16 or 17: r.ReadU32(); break;
                        case 10: r.ReadByte(); r.ReadByte(); break;
                        case 11: r.ReadByte(); break;
                        case 12 or 14: r.ReadU32(); r.ReadU32(); break;
                        default: throw r.Malformed("illegal opcode", at);
                    }
                    break;
                case 0x00 or 0x01 or 0x05 or 0x0F or 0x1A or 0x1B or 0xD1 or (>= 0x45 and <= 0xC4): break;
                default: throw r.Malformed($"illegal opcode 0x{op:x2}", at);
            }
        }
        if (!r.AtEnd) throw r.Malformed("section size mismatch: operators after the function's final end");
        return usesMemory;
    }
}
