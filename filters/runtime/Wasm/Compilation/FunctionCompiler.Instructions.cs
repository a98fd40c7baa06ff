using System.Reflection;
using System.Reflection.Emit;
using ImageHub.Wasm.Decoding;
using ImageHub.Wasm.Runtime;
using static ImageHub.Wasm.WasmValueType;

namespace ImageHub.Wasm.Compilation;

internal sealed partial class FunctionCompiler
{
    private LocalBuilder? _funcRef;
    private LocalBuilder FuncRefTemp => _funcRef ??= Declare(typeof(Runtime.FuncRef));

    private void Instruction()
    {
        int at = _r.Position;
        _r.InstructionStart = at;
        byte op = _r.ReadByte();
        switch (op)
        {
            case 0x00:
                if (Live) { Call(typeof(Traps), nameof(Traps.Unreachable)); _il.Emit(OpCodes.Throw); }
                SetUnreachable();
                break;
            case 0x01: break;
            case 0x02:
            case 0x03:
            {
                var (p, res) = ReadBlockType();
                if (Live) SpillAll();
                var frame = OpenFrame(op, p, res);
                // A loop's iterations are charged by the branches back to it (EmitLoopCharge).
                if (op == 0x03 && frame.Emitting) _il.MarkLabel(frame.Target);
                break;
            }
            case 0x04: If(); break;
            case 0x05: Else(); break;
            case 0x0B: End(); break;
            case 0x0C: Br(Label(_r.ReadU32())); break;
            case 0x0D: BrIf(Label(_r.ReadU32())); break;
            case 0x0E: BrTable(); break;
            case 0x0F: Br(_frames[0]); break;
            case 0x10:
            {
                int f = _r.ReadCount("function index");
                if (f >= _info.FunctionTypes.Count) throw _r.Invalid($"unknown function {f}", at);
                EmitCall(_info.FunctionSignature(f), f, -1);
                break;
            }
            case 0x11:
            {
                int type = _r.ReadCount("type index");
                int table = _r.ReadCount("table index");
                if (type >= _info.Types.Count) throw _r.Invalid($"unknown type {type}", at);
                CheckTable(table, at);
                if (_info.Tables[table].ElementType != WasmValueType.FuncRef) throw _r.Invalid("type mismatch: call_indirect needs a funcref table", at);
                EmitCall(_info.Types[type], -1, table);
                break;
            }
            case 0x1A:
            {
                bool onIl = Live && _stack.Count > Top.Height && _stack.Count - 1 >= _ilBase;
                Pop();
                if (onIl) _il.Emit(OpCodes.Pop);
                break;
            }
            case 0x1B:
            {
                Need(3);
                Pop(I32);
                var t1 = Pop();
                var t2 = Pop();
                if (ClrTypes.IsReference(t1) || ClrTypes.IsReference(t2)) throw _r.Invalid("type mismatch: select without a type needs numeric operands", at);
                if (t1 != t2 && t1 != ClrTypes.Unknown && t2 != ClrTypes.Unknown) throw _r.Invalid("type mismatch: select operands differ", at);
                var t = t1 != ClrTypes.Unknown ? t1 : t2;
                if (Live) EmitSelect(t);
                Push(t);
                break;
            }
            case 0x1C:
            {
                int n = _r.ReadCount("type count");
                if (n != 1) throw _r.Invalid("invalid result arity for select", at);
                var t = ModuleDecoder.ReadValueType(_r);
                Need(3);
                Pop(I32);
                Pop(t);
                Pop(t);
                if (Live) EmitSelect(t);
                Push(t);
                break;
            }
            case 0x20:
            {
                int i = LocalIndex(at);
                if (Live) LoadLocal(i);
                Push(_localTypes[i]);
                break;
            }
            case 0x21:
            {
                int i = LocalIndex(at);
                Need(1);
                Pop(_localTypes[i]);
                if (Live) StoreLocal(i);
                break;
            }
            case 0x22:
            {
                int i = LocalIndex(at);
                Need(1);
                Pop(_localTypes[i]);
                if (Live) { _il.Emit(OpCodes.Dup); StoreLocal(i); }
                Push(_localTypes[i]);
                break;
            }
            case 0x23:
            {
                int g = _r.ReadCount("global index");
                if (g >= _info.Globals.Count) throw _r.Invalid($"unknown global {g}", at);
                var type = _info.Globals[g].Type;
                if (Live)
                {
                    LoadGlobalCell(g);
                    _il.Emit(OpCodes.Ldfld, _m.Token(GlobalField(type)));
                }
                Push(type);
                break;
            }
            case 0x24:
            {
                int g = _r.ReadCount("global index");
                if (g >= _info.Globals.Count) throw _r.Invalid($"unknown global {g}", at);
                var (type, mutable) = _info.Globals[g];
                if (!mutable) throw _r.Invalid("global is immutable", at);
                Need(1);
                Pop(type);
                if (Live)
                {
                    var temp = Temp(type);
                    _il.Emit(OpCodes.Stloc, temp);
                    LoadGlobalCell(g);
                    _il.Emit(OpCodes.Ldloc, temp);
                    _il.Emit(OpCodes.Stfld, _m.Token(GlobalField(type)));
                }
                break;
            }
            case 0x25:
            {
                int t = _r.ReadCount("table index");
                CheckTable(t, at);
                Need(1);
                Pop(I32);
                if (Live) { Ldc(t); LdInstance(); Call(typeof(Bulk), nameof(Bulk.TableGet)); }
                Push(_info.Tables[t].ElementType);
                break;
            }
            case 0x26:
            {
                int t = _r.ReadCount("table index");
                CheckTable(t, at);
                Need(2);
                Pop(_info.Tables[t].ElementType);
                Pop(I32);
                if (Live) { Ldc(t); LdInstance(); Call(typeof(Bulk), nameof(Bulk.TableSet)); }
                break;
            }
            case >= 0x28 and <= 0x35: Load(op, at); break;
            case >= 0x36 and <= 0x3E: Store(op, at); break;
            case 0x3F:
                RequireMemory(at);
                ZeroByte();
                if (Live)
                {
                    _il.Emit(OpCodes.Ldloc, _memLen!);
                    _il.Emit(OpCodes.Ldc_I4, 16);
                    _il.Emit(OpCodes.Shr_Un);
                    _il.Emit(OpCodes.Conv_I4);
                }
                Push(I32);
                break;
            case 0x40:
                RequireMemory(at);
                ZeroByte();
                Need(1);
                Pop(I32);
                if (Live) { LdInstance(); Call(typeof(Bulk), nameof(Bulk.MemoryGrow)); ReloadMemory(); }
                Push(I32);
                break;
            case 0x41:
            {
                int value = _r.ReadS32();
                if (Live) Ldc(value);
                Push(I32);
                break;
            }
            case 0x42:
            {
                long value = _r.ReadS64();
                if (Live) _il.Emit(OpCodes.Ldc_I8, value);
                Push(I64);
                break;
            }
            case 0x43:
            {
                uint bits = _r.ReadF32Bits();
                float value = BitConverter.UInt32BitsToSingle(bits);
                if (Live && float.IsNaN(value)) { Ldc((int)bits); Call(typeof(Ops), nameof(Ops.F32Constant)); }
                else if (Live) _il.Emit(OpCodes.Ldc_R4, value);
                PushFloatConstant(F32, value);
                break;
            }
            case 0x44:
            {
                ulong bits = _r.ReadF64Bits();
                double value = BitConverter.UInt64BitsToDouble(bits);
                if (Live) _il.Emit(OpCodes.Ldc_R8, value);
                PushFloatConstant(F64, value);
                break;
            }
            case >= 0x45 and <= 0xC4: Numeric(op, at); break;
            case 0xD0:
            {
                int tat = _r.Position;
                byte b = _r.ReadByte();
                if (b is not (0x70 or 0x6F)) throw _r.Malformed("malformed reference type", tat);
                if (Live) _il.Emit(OpCodes.Ldnull);
                Push((WasmValueType)b);
                break;
            }
            case 0xD1:
            {
                Need(1);
                var t = Pop();
                if (t != ClrTypes.Unknown && !ClrTypes.IsReference(t)) throw _r.Invalid("type mismatch: ref.is_null needs a reference", at);
                if (Live) { _il.Emit(OpCodes.Ldnull); _il.Emit(OpCodes.Ceq); }
                Push(I32);
                break;
            }
            case 0xD2:
            {
                int f = _r.ReadCount("function index");
                if (f >= _info.FunctionTypes.Count) throw _r.Invalid($"unknown function {f}", at);
                if (!_m.DeclaredReferences.Contains(f)) throw _r.Invalid($"undeclared function reference {f}", at);
                if (Live) { LdInstance(); _il.Emit(OpCodes.Ldfld, _m.Token(FunctionsField)); Ldc(f); _il.Emit(OpCodes.Ldelem_Ref); }
                Push(WasmValueType.FuncRef);
                break;
            }
            case 0xFC: Prefixed(at); break;
            default: throw _r.Malformed($"illegal opcode 0x{op:x2}", at);
        }
    }

    // ---- control -------------------------------------------------------

    private void If()
    {
        var (p, res) = ReadBlockType();
        bool live = Live;
        Need(1);
        Pop(I32);
        var condition = Temp(I32);
        if (live) { _il.Emit(OpCodes.Stloc, condition); SpillAll(); }
        var frame = OpenFrame(0x04, p, res);
        if (!frame.Emitting) return;
        frame.Else = _il.DefineLabel();
        if (p.Length > 0)
        {
            // The then-branch may overwrite the parameter slots; keep a copy for the else-branch.
            frame.SavedParams = new LocalBuilder[p.Length];
            for (int i = 0; i < p.Length; i++)
            {
                frame.SavedParams[i] = Declare(ClrTypes.Of(p[i]));
                _il.Emit(OpCodes.Ldloc, Slot(frame.Height + i, p[i]));
                _il.Emit(OpCodes.Stloc, frame.SavedParams[i]);
            }
        }
        _il.Emit(OpCodes.Ldloc, condition);
        _il.Emit(OpCodes.Brfalse, frame.Else);
    }

    private void RestoreParams(Frame frame)
    {
        if (frame.SavedParams is null) return;
        for (int i = 0; i < frame.Params.Length; i++)
        {
            _il.Emit(OpCodes.Ldloc, frame.SavedParams[i]);
            _il.Emit(OpCodes.Stloc, Slot(frame.Height + i, frame.Params[i]));
        }
    }

    private void CloseCheck(Frame frame)
    {
        PopAll(frame.Results);
        if (_stack.Count != frame.Height) throw _r.Invalid("type mismatch: values remain at the end of a block");
    }

    private void Else()
    {
        var frame = Top;
        if (frame.Opcode != 0x04) throw _r.Invalid("else without a matching if");
        bool wasLive = Live;
        if (wasLive) SpillAll();
        CloseCheck(frame);
        if (frame.Emitting)
        {
            if (wasLive) _il.Emit(OpCodes.Br, frame.Target);
            _il.MarkLabel(frame.Else);
            RestoreParams(frame);
        }
        frame.Opcode = 0x05;
        frame.Unreachable = false;
        _stack.AddRange(frame.Params);
        _ilBase = _stack.Count;
    }

    private void End()
    {
        var frame = Top;
        bool wasLive = Live;
        if (wasLive) SpillAll();
        CloseCheck(frame);
        if (frame.Opcode == 0x04)
        {
            if (!frame.Params.SequenceEqual(frame.Results)) throw _r.Invalid("type mismatch: an if without else must produce its parameters");
            if (frame.Emitting)
            {
                if (wasLive) _il.Emit(OpCodes.Br, frame.Target);
                _il.MarkLabel(frame.Else);
                RestoreParams(frame);
            }
        }
        if (frame.Emitting && frame.Opcode != 0x03) _il.MarkLabel(frame.Target);
        _frames.RemoveAt(_frames.Count - 1);
        _stack.AddRange(frame.Results);
        _ilBase = _stack.Count;
        if (_frames.Count == 0) Epilogue();
    }

    private void Epilogue()
    {
        var results = _sig.Results;
        for (int k = 1; k < results.Count; k++)
        {
            Ldarg(InstanceArg + k);
            _il.Emit(OpCodes.Ldloc, Slot(k, results[k]));
            _il.Emit(OpCodes.Stobj, ClrTypes.Of(results[k]));
        }
        if (results.Count > 0) _il.Emit(OpCodes.Ldloc, Slot(0, results[0]));
        _il.Emit(OpCodes.Ret);
    }

    private void Br(Frame target)
    {
        bool live = Live;
        if (live) SpillAll();
        CheckTop(target.LabelTypes);
        if (live) EmitMovesAndBranch(target, OpCodes.Br);
        SetUnreachable();
    }

    private void BrIf(Frame target)
    {
        bool live = Live;
        Need(1);
        Pop(I32);
        var condition = Temp(I32);
        if (live) { _il.Emit(OpCodes.Stloc, condition); SpillAll(); }
        CheckTop(target.LabelTypes);
        if (!live) return;
        _il.Emit(OpCodes.Ldloc, condition);
        if (!NeedsMoves(target)) { _il.Emit(OpCodes.Brtrue, target.Target); return; }
        var skip = _il.DefineLabel();
        _il.Emit(OpCodes.Brfalse, skip);
        EmitMovesAndBranch(target, OpCodes.Br);
        _il.MarkLabel(skip);
    }

    private void BrTable()
    {
        int n = _r.ReadCount("label count");
        if (n > _r.End - _r.Position) throw _r.Malformed("unexpected end");
        var depths = new Frame[n];
        for (int i = 0; i < n; i++) depths[i] = Label(_r.ReadU32());
        var fallback = Label(_r.ReadU32());
        bool live = Live;
        Need(1);
        Pop(I32);
        var index = Temp(I32);
        if (live) { _il.Emit(OpCodes.Stloc, index); SpillAll(); }
        int arity = fallback.LabelTypes.Length;
        foreach (var target in depths)
        {
            if (target.LabelTypes.Length != arity) throw _r.Invalid("type mismatch: br_table targets differ in arity");
            CheckTopKeep(target.LabelTypes);
        }
        CheckTopKeep(fallback.LabelTypes);
        if (live)
        {
            var labels = new Label[n];
            var trampolines = new List<(Label, Frame)>();
            for (int i = 0; i < n; i++)
            {
                if (NeedsMoves(depths[i]))
                {
                    var trampoline = _il.DefineLabel();
                    trampolines.Add((trampoline, depths[i]));
                    labels[i] = trampoline;
                }
                else labels[i] = depths[i].Target;
            }
            _il.Emit(OpCodes.Ldloc, index);
            _il.Emit(OpCodes.Switch, labels);
            EmitMovesAndBranch(fallback, OpCodes.Br);
            foreach (var (trampoline, target) in trampolines)
            {
                _il.MarkLabel(trampoline);
                EmitMovesAndBranch(target, OpCodes.Br);
            }
        }
        SetUnreachable();
    }

    /// <summary>The check of br_table: like <see cref="CheckTop"/> but a polymorphic stack keeps its unknowns.</summary>
    private void CheckTopKeep(WasmValueType[] types)
    {
        var frame = Top;
        for (int i = 0; i < types.Length; i++)
        {
            int index = _stack.Count - types.Length + i;
            if (index < frame.Height)
            {
                if (!frame.Unreachable) throw _r.Invalid("type mismatch: not enough operands for br_table");
                continue;
            }
            var actual = _stack[index];
            if (actual != types[i] && actual != ClrTypes.Unknown)
                throw _r.Invalid($"type mismatch: br_table target expects {types[i].ToString().ToLowerInvariant()}, found {actual.ToString().ToLowerInvariant()}");
        }
    }

    private int _maxCallResults;

    private void EmitCall(FunctionSignature sig, int function, int table)
    {
        _maxCallResults = Math.Max(_maxCallResults, sig.Results.Count);
        // A call followed by unreachable (how AssemblyScript and others report a failed assertion)
        // happens at most once per run of this function, and the trap ends the run: it does not
        // make the function's own work unbounded, so it needs no checks on entry (the callee polls
        // itself if it must). Such calls could still recurse: the stack is checked at the call.
        bool terminal = !_r.AtEnd && _r.PeekByte() == 0x00;
        // A direct call to a straight leaf runs a bounded number of instructions too.
        if (table < 0 && function >= _info.ImportedFunctionCount && _m.IsStraightLeaf(function)) _callsStraightLeaves = true;
        else if (!terminal) _calls = true;
        bool live = Live;
        Need(sig.Parameters.Count + (table >= 0 ? 1 : 0));
        var index = Temp(I32, 1);
        if (table >= 0)
        {
            Pop(I32);
            if (live) _il.Emit(OpCodes.Stloc, index);
        }
        PopAll(sig.Parameters);
        if (live && terminal) EmitStackCheck();
        if (live)
        {
            var extras = new LocalBuilder[sig.Results.Count];
            for (int k = 1; k < sig.Results.Count; k++) extras[k] = Temp(sig.Results[k], 100 + k);
            bool direct = function >= _info.ImportedFunctionCount && table < 0;
            if (direct)
            {
                LdInstance();
                for (int k = 1; k < extras.Length; k++) _il.Emit(OpCodes.Ldloca, extras[k]);
                _il.Emit(OpCodes.Call, _m.Methods[function]!);
            }
            else
            {
                if (table >= 0)
                {
                    _il.Emit(OpCodes.Ldloc, index);
                    Ldc(SignatureIds.Of(sig));
                    LdInstance();
                    _il.Emit(OpCodes.Ldfld, _m.Token(TablesField));
                    Ldc(table);
                    _il.Emit(OpCodes.Ldelem_Ref);
                    Call(typeof(Bulk), nameof(Bulk.ResolveIndirect));
                }
                else
                {
                    LdInstance();
                    _il.Emit(OpCodes.Ldfld, _m.Token(FunctionsField));
                    Ldc(function);
                    _il.Emit(OpCodes.Ldelem_Ref);
                }
                _il.Emit(OpCodes.Stloc, FuncRefTemp);
                _il.Emit(OpCodes.Ldloc, FuncRefTemp);
                _il.Emit(OpCodes.Ldfld, _m.Token(OwnerField));
                LdInstance();
                Call(typeof(Guard), nameof(Guard.ShareStack));
                _il.Emit(OpCodes.Ldloc, FuncRefTemp);
                _il.Emit(OpCodes.Ldfld, _m.Token(OwnerField));
                for (int k = 1; k < extras.Length; k++) _il.Emit(OpCodes.Ldloca, extras[k]);
                _il.Emit(OpCodes.Ldloc, FuncRefTemp);
                _il.Emit(OpCodes.Ldfld, _m.Token(CodeField));
                _il.Emit(OpCodes.Calli, _m.CalliToken(sig));
            }
            for (int k = 1; k < extras.Length; k++) _il.Emit(OpCodes.Ldloc, extras[k]);
            ReloadMemory();
        }
        foreach (var t in sig.Results) Push(t);
    }

    // ---- variables -----------------------------------------------------

    private int LocalIndex(int at)
    {
        uint i = _r.ReadU32();
        if (i >= _localTypes.Length) throw _r.Invalid($"unknown local {i}", at);
        return (int)i;
    }

    private void LoadLocal(int i)
    {
        if (i < _paramCount) Ldarg(i);
        else _il.Emit(OpCodes.Ldloc, _locals[i]!);
    }

    private void StoreLocal(int i)
    {
        if (i < _paramCount) _il.Emit(i < 256 ? OpCodes.Starg_S : OpCodes.Starg, i < 256 ? (byte)i : (short)i);
        else _il.Emit(OpCodes.Stloc, _locals[i]!);
    }

    private void LoadGlobalCell(int g)
    {
        LdInstance();
        _il.Emit(OpCodes.Ldfld, _m.Token(GlobalsField));
        Ldc(g);
        _il.Emit(OpCodes.Ldelem_Ref);
    }

    private static readonly FieldInfo GlobalI32 = typeof(GlobalCell).GetField(nameof(GlobalCell.I32))!;
    private static readonly FieldInfo GlobalI64 = typeof(GlobalCell).GetField(nameof(GlobalCell.I64))!;
    private static readonly FieldInfo GlobalF32 = typeof(GlobalCell).GetField(nameof(GlobalCell.F32))!;
    private static readonly FieldInfo GlobalF64 = typeof(GlobalCell).GetField(nameof(GlobalCell.F64))!;
    private static readonly FieldInfo GlobalRef = typeof(GlobalCell).GetField(nameof(GlobalCell.Ref))!;

    private static FieldInfo GlobalField(WasmValueType type) => type switch
    {
        I32 => GlobalI32, I64 => GlobalI64, F32 => GlobalF32, F64 => GlobalF64, _ => GlobalRef,
    };

    private void Ldc(int value) => _il.Emit(OpCodes.Ldc_I4, value);

    private void EmitSelect(WasmValueType t) => Call(typeof(Ops), t switch
    {
        I32 => nameof(Ops.SelectI32),
        I64 => nameof(Ops.SelectI64),
        F32 => nameof(Ops.SelectF32),
        F64 => nameof(Ops.SelectF64),
        _ => nameof(Ops.SelectRef),
    });

    private void CheckTable(int table, int at)
    {
        if (table >= _info.Tables.Count) throw _r.Invalid($"unknown table {table}", at);
    }

    private void RequireMemory(int at)
    {
        if (!_m.HasMemory) throw _r.Invalid("unknown memory 0", at);
    }

    private void ZeroByte()
    {
        int at = _r.Position;
        if (_r.ReadByte() != 0) throw _r.Malformed("zero byte expected", at);
    }

    // ---- memory --------------------------------------------------------

    private uint MemArg(int naturalSize, int at)
    {
        RequireMemory(at);
        uint align = _r.ReadU32();
        uint offset = _r.ReadU32();
        if (align >= 32 || (1u << (int)align) > naturalSize) throw _r.Invalid("alignment must not be larger than natural", at);
        return offset;
    }

    private static readonly string[] LoadHelpers =
        ["I32", "I64", "F32", "F64", "I32S8", "I32U8", "I32S16", "I32U16", "I64S8", "I64U8", "I64S16", "I64U16", "I64S32", "I64U32"];
    private static readonly string[] StoreHelpers =
        ["StoreI32", "StoreI64", "StoreF32", "StoreF64", "StoreI32As8", "StoreI32As16", "StoreI64As8", "StoreI64As16", "StoreI64As32"];

    /// <summary>
    /// Pushes the cached memory and the offset, then calls the inlined access helper; an access a
    /// merged check covers or that is
    /// always inside memory (see <see cref="BoundsCheckPlan"/>) uses the unchecked one.
    /// </summary>
    private void EmitAccess(string helper, uint offset, int size, int at, WasmValueType? stored = null)
    {
        if (TryEmitUncheckedAccess(helper, offset, at, stored)) return;
        _il.Emit(OpCodes.Ldloc, _memBase!);
        _il.Emit(OpCodes.Ldloc, _memLimits[System.Numerics.BitOperations.Log2((uint)size)]!);
        _il.Emit(OpCodes.Ldc_I8, (long)offset);
        Call(typeof(MemoryAccess), helper);
    }

    private void Load(byte op, int at)
    {
        var (type, size) = op switch
        {
            0x28 => (I32, 4), 0x29 => (I64, 8), 0x2A => (F32, 4), 0x2B => (F64, 8),
            0x2C or 0x2D => (I32, 1), 0x2E or 0x2F => (I32, 2),
            0x30 or 0x31 => (I64, 1), 0x32 or 0x33 => (I64, 2), _ => (I64, 4),
        };
        uint offset = MemArg(size, at);
        Need(1);
        Pop(I32);
        if (Live) EmitAccess(LoadHelpers[op - 0x28], offset, size, at);
        Push(type);
    }

    private void Store(byte op, int at)
    {
        var (type, size) = op switch
        {
            0x36 => (I32, 4), 0x37 => (I64, 8), 0x38 => (F32, 4), 0x39 => (F64, 8),
            0x3A => (I32, 1), 0x3B => (I32, 2), 0x3C => (I64, 1), 0x3D => (I64, 2), _ => (I64, 4),
        };
        uint offset = MemArg(size, at);
        Need(2);
        Pop(type);
        Pop(I32);
        if (Live) EmitAccess(StoreHelpers[op - 0x36], offset, size, at, type);
    }
}
