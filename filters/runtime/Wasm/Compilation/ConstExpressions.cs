using ImageHub.Wasm.Decoding;
using ImageHub.Wasm.Runtime;

namespace ImageHub.Wasm.Compilation;

/// <summary>Validates and evaluates constant expressions (global initialisers, segment offsets and items).</summary>
internal static class ConstExpressions
{
    /// <summary>Checks <paramref name="expr"/> produces one <paramref name="expected"/>; collects functions it names.</summary>
    public static void Validate(ModuleInfo m, ConstExpr expr, WasmValueType expected, string section, ISet<int> references)
    {
        var r = new WasmReader(m.Bytes) { Position = expr.Offset, End = expr.Offset + expr.Length, Section = section };
        var stack = new List<WasmValueType>();
        while (true)
        {
            int at = r.Position;
            byte op = r.ReadByte();
            switch (op)
            {
                case 0x0B:
                    if (stack.Count != 1 || stack[0] != expected)
                        throw r.Invalid($"type mismatch: constant expression must produce one {expected.ToString().ToLowerInvariant()}", at);
                    return;
                case 0x41: r.ReadS32(); stack.Add(WasmValueType.I32); break;
                case 0x42: r.ReadS64(); stack.Add(WasmValueType.I64); break;
                case 0x43: r.ReadBytes(4); stack.Add(WasmValueType.F32); break;
                case 0x44: r.ReadBytes(8); stack.Add(WasmValueType.F64); break;
                case 0xD0: stack.Add((WasmValueType)r.ReadByte()); break;
                case 0xD2:
                {
                    int f = r.ReadCount("function index");
                    if (f >= m.FunctionTypes.Count) throw r.Invalid($"unknown function {f}", at);
                    references.Add(f);
                    stack.Add(WasmValueType.FuncRef);
                    break;
                }
                case 0x23:
                {
                    int g = r.ReadCount("global index");
                    if (g >= m.ImportedGlobalCount) throw r.Invalid($"unknown global {g}", at);
                    if (m.Globals[g].Mutable) throw r.Invalid("constant expression required: global.get of a mutable global", at);
                    stack.Add(m.Globals[g].Type);
                    break;
                }
                default: throw r.Invalid("constant expression required", at);
            }
        }
    }

    /// <summary>The value of a validated expression: int, long, float, double, a reference or null.</summary>
    public static object? Evaluate(ModuleInfo m, ConstExpr expr, WasmInstance instance)
    {
        var r = new WasmReader(m.Bytes) { Position = expr.Offset, End = expr.Offset + expr.Length };
        object? value = null;
        while (true)
        {
            byte op = r.ReadByte();
            switch (op)
            {
                case 0x0B: return value;
                case 0x41: value = r.ReadS32(); break;
                case 0x42: value = r.ReadS64(); break;
                case 0x43: value = BitConverter.UInt32BitsToSingle(r.ReadF32Bits()); break;
                case 0x44: value = BitConverter.UInt64BitsToDouble(r.ReadF64Bits()); break;
                case 0xD0: r.ReadByte(); value = null; break;
                case 0xD2: value = instance.Functions[r.ReadCount("function index")]; break;
                case 0x23: value = instance.Globals[r.ReadCount("global index")].Value; break;
            }
        }
    }
}
