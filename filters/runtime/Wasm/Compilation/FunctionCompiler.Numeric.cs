using System.Reflection.Emit;
using ImageHub.Wasm.Runtime;
using static ImageHub.Wasm.WasmValueType;

namespace ImageHub.Wasm.Compilation;

internal sealed partial class FunctionCompiler
{
    private static readonly OpCode[] Eq = [OpCodes.Ceq];
    private static readonly OpCode[] Ne = [OpCodes.Ceq, OpCodes.Ldc_I4_0, OpCodes.Ceq];
    private static readonly OpCode[] Lt = [OpCodes.Clt];
    private static readonly OpCode[] LtU = [OpCodes.Clt_Un];
    private static readonly OpCode[] Gt = [OpCodes.Cgt];
    private static readonly OpCode[] GtU = [OpCodes.Cgt_Un];
    private static readonly OpCode[] Le = [OpCodes.Cgt, OpCodes.Ldc_I4_0, OpCodes.Ceq];
    private static readonly OpCode[] LeU = [OpCodes.Cgt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq];
    private static readonly OpCode[] Ge = [OpCodes.Clt, OpCodes.Ldc_I4_0, OpCodes.Ceq];
    private static readonly OpCode[] GeU = [OpCodes.Clt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq];

    private void Numeric(byte op, int at)
    {
        switch (op)
        {
            case 0x45: Op(I32, I32, 1, OpCodes.Ldc_I4_0, OpCodes.Ceq); return;
            case 0x50: Op(I64, I32, 1, OpCodes.Ldc_I4_0, OpCodes.Conv_I8, OpCodes.Ceq); return;
            case >= 0x46 and <= 0x4F: Op(I32, I32, 2, IntCompare(op - 0x46)); return;
            case >= 0x51 and <= 0x5A: Op(I64, I32, 2, IntCompare(op - 0x51)); return;
            case >= 0x5B and <= 0x60: Op(F32, I32, 2, FloatCompare(op - 0x5B)); return;
            case >= 0x61 and <= 0x66: Op(F64, I32, 2, FloatCompare(op - 0x61)); return;
            case >= 0x67 and <= 0x78: IntArithmetic(I32, op - 0x67); return;
            case >= 0x79 and <= 0x8A: IntArithmetic(I64, op - 0x79); return;
            case >= 0x8B and <= 0x98: FloatArithmetic(F32, op - 0x8B); return;
            case >= 0x99 and <= 0xA6: FloatArithmetic(F64, op - 0x99); return;
            case 0xA7: Op(I64, I32, 1, OpCodes.Conv_I4); return;
            case 0xA8: OpCall(F32, I32, nameof(Ops.TruncF32ToI32)); return;
            case 0xA9: OpCall(F32, I32, nameof(Ops.TruncF32ToU32)); return;
            case 0xAA: OpCall(F64, I32, nameof(Ops.TruncF64ToI32)); return;
            case 0xAB: OpCall(F64, I32, nameof(Ops.TruncF64ToU32)); return;
            case 0xAC: Op(I32, I64, 1, OpCodes.Conv_I8); return;
            case 0xAD: Op(I32, I64, 1, OpCodes.Conv_U8); return;
            case 0xAE: OpCall(F32, I64, nameof(Ops.TruncF32ToI64)); return;
            case 0xAF: OpCall(F32, I64, nameof(Ops.TruncF32ToU64)); return;
            case 0xB0: OpCall(F64, I64, nameof(Ops.TruncF64ToI64)); return;
            case 0xB1: OpCall(F64, I64, nameof(Ops.TruncF64ToU64)); return;
            case 0xB2: Op(I32, F32, 1, OpCodes.Conv_R4); return;
            case 0xB3: OpCall(I32, F32, nameof(Ops.F32FromU32)); return;
            case 0xB4: Op(I64, F32, 1, OpCodes.Conv_R4); return;
            case 0xB5: OpCall(I64, F32, nameof(Ops.F32FromU64)); return;
            case 0xB6: Op(F64, F32, 1, OpCodes.Conv_R4); if (Live) Call(typeof(Ops), nameof(Ops.QuietF32)); return;
            case 0xB7: Op(I32, F64, 1, OpCodes.Conv_R8); return;
            case 0xB8: OpCall(I32, F64, nameof(Ops.F64FromU32)); return;
            case 0xB9: Op(I64, F64, 1, OpCodes.Conv_R8); return;
            case 0xBA: OpCall(I64, F64, nameof(Ops.F64FromU64)); return;
            case 0xBB: Op(F32, F64, 1, OpCodes.Conv_R8); return;
            case 0xBC: OpCall(F32, I32, nameof(BitConverter.SingleToInt32Bits), typeof(BitConverter)); return;
            case 0xBD: OpCall(F64, I64, nameof(BitConverter.DoubleToInt64Bits), typeof(BitConverter)); return;
            case 0xBE: OpCall(I32, F32, nameof(BitConverter.Int32BitsToSingle), typeof(BitConverter)); return;
            case 0xBF: OpCall(I64, F64, nameof(BitConverter.Int64BitsToDouble), typeof(BitConverter)); return;
            case 0xC0: Op(I32, I32, 1, OpCodes.Conv_I1); return;
            case 0xC1: Op(I32, I32, 1, OpCodes.Conv_I2); return;
            case 0xC2: Op(I64, I64, 1, OpCodes.Conv_I1, OpCodes.Conv_I8); return;
            case 0xC3: Op(I64, I64, 1, OpCodes.Conv_I2, OpCodes.Conv_I8); return;
            case 0xC4: Op(I64, I64, 1, OpCodes.Conv_I4, OpCodes.Conv_I8); return;
            default: throw _r.Malformed($"illegal opcode 0x{op:x2}", at);
        }
    }

    private static OpCode[] IntCompare(int i) => i switch
    {
        0 => Eq, 1 => Ne, 2 => Lt, 3 => LtU, 4 => Gt, 5 => GtU, 6 => Le, 7 => LeU, 8 => Ge, _ => GeU,
    };

    private static OpCode[] FloatCompare(int i) => i switch
    {
        // le/ge are "not greater/less or unordered" so that NaN compares false.
        0 => Eq, 1 => Ne, 2 => Lt, 3 => Gt, 4 => LeU, _ => GeU,
    };

    private void IntArithmetic(WasmValueType t, int i)
    {
        string s = t == I32 ? "32" : "64";
        switch (i)
        {
            case 0: OpCall(t, t, "Clz" + s); break;
            case 1: OpCall(t, t, "Ctz" + s); break;
            case 2: OpCall(t, t, "Popcnt" + s); break;
            case 3: Op(t, t, 2, OpCodes.Add); break;
            case 4: Op(t, t, 2, OpCodes.Sub); break;
            case 5: Op(t, t, 2, OpCodes.Mul); break;
            case 6: OpCall(t, t, "DivS" + s, arity: 2); break;
            case 7: OpCall(t, t, "DivU" + s, arity: 2); break;
            case 8: OpCall(t, t, "RemS" + s, arity: 2); break;
            case 9: OpCall(t, t, "RemU" + s, arity: 2); break;
            case 10: Op(t, t, 2, OpCodes.And); break;
            case 11: Op(t, t, 2, OpCodes.Or); break;
            case 12: Op(t, t, 2, OpCodes.Xor); break;
            case 13: Shift(t, OpCodes.Shl); break;
            case 14: Shift(t, OpCodes.Shr); break;
            case 15: Shift(t, OpCodes.Shr_Un); break;
            case 16: OpCall(t, t, "Rotl" + s, arity: 2); break;
            default: OpCall(t, t, "Rotr" + s, arity: 2); break;
        }
    }

    private void Shift(WasmValueType t, OpCode shift)
    {
        Need(2);
        Pop(t);
        Pop(t);
        if (Live)
        {
            if (t == I64) _il.Emit(OpCodes.Conv_I4);
            _il.Emit(OpCodes.Ldc_I4, t == I32 ? 31 : 63);
            _il.Emit(OpCodes.And);
            _il.Emit(shift);
        }
        Push(t);
    }

    private void FloatArithmetic(WasmValueType t, int i)
    {
        string s = t == F32 ? "F32" : "F64";
        bool quiet = i is >= 7 and <= 10 && (OperandIsIdentityConstant(0) || OperandIsIdentityConstant(1));
        FloatOperation(t, i, s);
        if (quiet && Live) Call(typeof(Ops), "Quiet" + s);
    }

    private void FloatOperation(WasmValueType t, int i, string s)
    {
        switch (i)
        {
            case 0: OpCall(t, t, "Abs" + s); break;
            case 1: OpCall(t, t, "Neg" + s); break;
            case 2: OpCall(t, t, "Ceil" + s); break;
            case 3: OpCall(t, t, "Floor" + s); break;
            case 4: OpCall(t, t, "Trunc" + s); break;
            case 5: OpCall(t, t, "Nearest" + s); break;
            case 6: OpCall(t, t, "Sqrt" + s); break;
            case 7: Op(t, t, 2, OpCodes.Add); break;
            case 8: Op(t, t, 2, OpCodes.Sub); break;
            case 9: Op(t, t, 2, OpCodes.Mul); break;
            case 10: Op(t, t, 2, OpCodes.Div); break;
            case 11: OpCall(t, t, "Min" + s, arity: 2); break;
            case 12: OpCall(t, t, "Max" + s, arity: 2); break;
            default: OpCall(t, t, "Copysign" + s, arity: 2); break;
        }
    }

    private void Op(WasmValueType input, WasmValueType output, int arity, params OpCode[] code)
    {
        Need(arity);
        for (int i = 0; i < arity; i++) Pop(input);
        if (Live) foreach (var c in code) _il.Emit(c);
        Push(output);
    }

    private void OpCall(WasmValueType input, WasmValueType output, string method, Type? owner = null, int arity = 1)
    {
        Need(arity);
        for (int i = 0; i < arity; i++) Pop(input);
        if (Live) Call(owner ?? typeof(Ops), method);
        Push(output);
    }

    private void Prefixed(int at)
    {
        uint sub = _r.ReadU32();
        switch (sub)
        {
            case 0: OpCall(F32, I32, nameof(Ops.SatF32ToI32)); return;
            case 1: OpCall(F32, I32, nameof(Ops.SatF32ToU32)); return;
            case 2: OpCall(F64, I32, nameof(Ops.SatF64ToI32)); return;
            case 3: OpCall(F64, I32, nameof(Ops.SatF64ToU32)); return;
            case 4: OpCall(F32, I64, nameof(Ops.SatF32ToI64)); return;
            case 5: OpCall(F32, I64, nameof(Ops.SatF32ToU64)); return;
            case 6: OpCall(F64, I64, nameof(Ops.SatF64ToI64)); return;
            case 7: OpCall(F64, I64, nameof(Ops.SatF64ToU64)); return;
            case 8:
            {
                int segment = DataIndex(at);
                RequireMemory(at);
                ZeroByte();
                Bulk3(nameof(Bulk.MemoryInit), segment);
                return;
            }
            case 9:
            {
                int segment = DataIndex(at);
                if (Live) { Ldc(segment); LdInstance(); Call(typeof(Bulk), nameof(Bulk.DataDrop)); }
                return;
            }
            case 10:
                RequireMemory(at);
                ZeroByte();
                ZeroByte();
                Bulk3(nameof(Bulk.MemoryCopy));
                return;
            case 11:
                RequireMemory(at);
                ZeroByte();
                Bulk3(nameof(Bulk.MemoryFill));
                return;
            case 12:
            {
                int segment = _r.ReadCount("element index");
                int table = _r.ReadCount("table index");
                if (segment >= _info.Elements.Count) throw _r.Invalid($"unknown elem segment {segment}", at);
                CheckTable(table, at);
                if (_info.Elements[segment].ElementType != _info.Tables[table].ElementType) throw _r.Invalid("type mismatch: table.init element type", at);
                Bulk3(nameof(Bulk.TableInit), segment, table);
                return;
            }
            case 13:
            {
                int segment = _r.ReadCount("element index");
                if (segment >= _info.Elements.Count) throw _r.Invalid($"unknown elem segment {segment}", at);
                if (Live) { Ldc(segment); LdInstance(); Call(typeof(Bulk), nameof(Bulk.ElemDrop)); }
                return;
            }
            case 14:
            {
                int destination = _r.ReadCount("table index");
                int source = _r.ReadCount("table index");
                CheckTable(destination, at);
                CheckTable(source, at);
                if (_info.Tables[destination].ElementType != _info.Tables[source].ElementType) throw _r.Invalid("type mismatch: table.copy element types", at);
                Bulk3(nameof(Bulk.TableCopy), destination, source);
                return;
            }
            case 15:
            {
                int table = _r.ReadCount("table index");
                CheckTable(table, at);
                Need(2);
                Pop(I32);
                Pop(_info.Tables[table].ElementType);
                if (Live) { Ldc(table); LdInstance(); Call(typeof(Bulk), nameof(Bulk.TableGrow)); }
                Push(I32);
                return;
            }
            case 16:
            {
                int table = _r.ReadCount("table index");
                CheckTable(table, at);
                if (Live) { Ldc(table); LdInstance(); Call(typeof(Bulk), nameof(Bulk.TableSize)); }
                Push(I32);
                return;
            }
            case 17:
            {
                int table = _r.ReadCount("table index");
                CheckTable(table, at);
                Need(3);
                Pop(I32);
                Pop(_info.Tables[table].ElementType);
                Pop(I32);
                if (Live) { Ldc(table); LdInstance(); Call(typeof(Bulk), nameof(Bulk.TableFill)); }
                return;
            }
            default: throw _r.Malformed($"illegal opcode 0xfc {sub}", at);
        }
    }

    private int DataIndex(int at)
    {
        int segment = _r.ReadCount("data index");
        // Without a data count section the binary cannot use data indices, unless there is no data at all.
        if (_info.DataCount is not { } count && _info.Data.Count > 0) throw _r.Malformed("data count section required", at);
        count = _info.DataCount ?? 0;
        if (segment >= count) throw _r.Invalid($"unknown data segment {segment}", at);
        return segment;
    }

    /// <summary>A bulk instruction taking three i32 operands plus constant indices and the instance.</summary>
    private void Bulk3(string method, params int[] constants)
    {
        Need(3);
        Pop(I32);
        Pop(I32);
        Pop(I32);
        if (!Live) return;
        foreach (int c in constants) Ldc(c);
        LdInstance();
        Call(typeof(Bulk), method);
        if (method is nameof(Bulk.MemoryCopy) or nameof(Bulk.MemoryFill) or nameof(Bulk.MemoryInit)) { }
    }
}
