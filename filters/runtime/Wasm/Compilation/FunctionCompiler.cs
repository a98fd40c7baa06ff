using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using ImageHub.Wasm.Decoding;
using ImageHub.Wasm.Runtime;
using static ImageHub.Wasm.WasmValueType;

namespace ImageHub.Wasm.Compilation;

/// <summary>
/// Validates one function body and emits its IL in a single pass.
/// The WebAssembly operand stack maps onto the IL evaluation stack; at every
/// control-flow join the IL stack is empty and values live in "slot" locals,
/// one per (stack depth, type), so branches only move locals around.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private sealed class Frame
    {
        public byte Opcode; // 0x02 block, 0x03 loop, 0x04 if, 0x05 else, 0 function
        public WasmValueType[] Params = [];
        public WasmValueType[] Results = [];
        public int Height;
        public bool Unreachable;
        public bool Emitting;
        public Label Target; // loop: its start; otherwise its end
        public Label Else;
        public LocalBuilder[]? SavedParams;
        public WasmValueType[] LabelTypes => Opcode == 0x03 ? Params : Results;
    }

    private static readonly FieldInfo MemoryField = ClrTypes.Field(typeof(WasmInstance), nameof(WasmInstance.Memory));
    private static readonly FieldInfo BytesField = ClrTypes.Field(typeof(MemoryInstance), nameof(MemoryInstance.Bytes));
    private static readonly FieldInfo GlobalsField = ClrTypes.Field(typeof(WasmInstance), nameof(WasmInstance.Globals));
    private static readonly FieldInfo TablesField = ClrTypes.Field(typeof(WasmInstance), nameof(WasmInstance.Tables));
    private static readonly FieldInfo FunctionsField = ClrTypes.Field(typeof(WasmInstance), nameof(WasmInstance.Functions));
    private static readonly FieldInfo CodeField = ClrTypes.Field(typeof(Runtime.FuncRef), nameof(Runtime.FuncRef.Code));
    private static readonly FieldInfo OwnerField = ClrTypes.Field(typeof(Runtime.FuncRef), nameof(Runtime.FuncRef.Owner));
    private static readonly MethodInfo ArrayData = ClrTypes.Method(typeof(MemoryAccess), nameof(MemoryAccess.Base));

    private readonly ModuleContext _m;
    private readonly ModuleInfo _info;
    private readonly ILGenerator _il;
    private readonly WasmReader _r;
    private readonly FunctionSignature _sig;
    private readonly WasmValueType[] _localTypes;
    private readonly LocalBuilder?[] _locals;
    private readonly int _paramCount;
    private readonly int _functionIndex;
    private readonly List<WasmValueType> _stack = new(64);
    private int _ilBase;
    private readonly List<Frame> _frames = new(16);
    private readonly Dictionary<(int, WasmValueType), LocalBuilder> _slots = new();
    private readonly Dictionary<(WasmValueType, int), LocalBuilder> _temps = new();
    private LocalBuilder? _memBase, _memLen;

    /// <summary>
    /// The memory's length less 1, 2, 4, ... 256 bytes: the bound of an access of that size (see
    /// <see cref="MemoryAccess"/>) or of a merged check's extent rounded up (see <see cref="BoundsCheckPlan"/>).
    /// </summary>
    private readonly LocalBuilder?[] _memLimits = new LocalBuilder?[9];

    public FunctionCompiler(ModuleContext module, int functionIndex, ILGenerator il)
    {
        _m = module;
        _info = module.Info;
        _functionIndex = functionIndex;
        _il = il;
        var body = _info.Bodies[functionIndex - _info.ImportedFunctionCount];
        _r = new WasmReader(_info.Bytes) { Position = body.CodeStart, End = body.CodeEnd, Section = $"code (function {functionIndex})" };
        _sig = _info.FunctionSignature(functionIndex);
        _paramCount = _sig.Parameters.Count;
        var types = new List<WasmValueType>(_sig.Parameters);
        foreach (var group in body.Locals) for (int i = 0; i < group.Count; i++) types.Add(group.Type);
        _localTypes = [.. types];
        _locals = new LocalBuilder?[_localTypes.Length];
        for (int i = _paramCount; i < _localTypes.Length; i++) _locals[i] = Declare(ClrTypes.Of(_localTypes[i]));
    }

    /// <summary>
    /// Past this many values the operand stack moves from the IL evaluation stack into slot
    /// locals: the JIT's evaluation stack (the method header's max-stack) holds at most 65535.
    /// </summary>
    private const int MaxIlStack = 1024;

    /// <summary>
    /// An IL method may declare at most 65535 locals (their index is 16 bits). Locals, slots for
    /// a deep operand stack and temporaries all count; a function needing more is rejected.
    /// </summary>
    internal const int MaxIlLocals = 65000;

    private int _declaredLocals;

    /// <summary>Frames up to this size fit in the margin below the stack limit (see <see cref="Guard.ProbeReach"/>); larger ones are probed whole.</summary>
    private const int HugeFrameBytes = 32 * 1024;

    /// <summary>Leaf functions with frames up to this size skip the stack check (see <see cref="Guard.ProbeReach"/>).</summary>
    private const int SmallFrameBytes = 6 * 1024;

    private LocalBuilder Declare(Type type)
    {
        var local = _il.DeclareLocal(type);
        _declaredLocals++;
        if (local.LocalIndex >= MaxIlLocals)
            throw _r.Invalid($"function too large: its locals and operand stack need more than {MaxIlLocals} .NET locals (implementation limit)");
        return local;
    }

    private int InstanceArg => _paramCount;
    private Frame Top => _frames[^1];
    private bool Live => Top.Emitting && !Top.Unreachable;

    /// <summary>
    /// A small function without loops or calls that return (<see cref="BodyScanner.IsStraightLeaf"/>):
    /// it needs no entry checks, and its IL has no jump to a prologue, which would be a backward
    /// branch, so the JIT can inline it into its callers (see <see cref="CompiledModule"/>). Its frame
    /// is bounded by its size: at most about 6 KiB by the estimate in <see cref="EmitEntryChecks"/>.
    /// </summary>
    public bool IsStraightLeaf { get; private set; }

    public void Compile()
    {
        // The entry check is emitted last, when the frame's size (locals plus operand-stack slots) is
        // known, and reached by a jump the JIT lays out away.
        var prologue = _il.DefineLabel();
        var body = _il.DefineLabel();
        IsStraightLeaf = _m.IsStraightLeaf(_functionIndex);
        if (!IsStraightLeaf) _il.Emit(OpCodes.Br, prologue);
        _il.MarkLabel(body);
        // Functions that never touch memory skip caching it (and reloading it after every call).
        if (_m.HasMemory && BodyScanner.UsesMemory(_info, _info.Bodies[_functionIndex - _info.ImportedFunctionCount]))
        {
            _memBase = Declare(typeof(byte).MakeByRefType());
            _memLen = Declare(typeof(ulong));
            for (int k = 0; k < _memLimits.Length; k++) _memLimits[k] = Declare(typeof(long));
            ReloadMemory();
        }
        _frames.Add(new Frame { Opcode = 0, Results = [.. _sig.Results], Height = 0, Emitting = true, Target = _il.DefineLabel() });
        while (_frames.Count > 0)
        {
            if (_r.AtEnd) throw _r.Malformed("unexpected end of section or function: END opcode expected");
            if (TryPlannedRegion()) continue;
            if (Live && _stack.Count - _ilBase > MaxIlStack) SpillAll();
            Instruction();
            NoteIlHeight();
        }
        if (!_r.AtEnd) throw _r.Malformed("section size mismatch: operators after the function's final end");
        if (!IsStraightLeaf)
        {
            _il.MarkLabel(prologue);
            EmitEntryChecks();
            _il.Emit(OpCodes.Br, body);
        }
        // Calls emitted by token are not counted by ILGenerator's max-stack estimate;
        // this unreachable, balanced tail after the epilogue raises the estimate above anything the body needs.
        int depth = _maxIlHeight + _maxCallResults + 16;
        for (int i = 0; i < depth; i++) _il.Emit(OpCodes.Ldnull);
        for (int i = 0; i < depth; i++) _il.Emit(OpCodes.Pop);
        _il.Emit(OpCodes.Ldnull);
        _il.Emit(OpCodes.Throw);
    }

    /// <summary>
    /// The checks on entry (see <see cref="Guard"/>): the stack, by comparing the address of a
    /// local with the instance's limit, and the budget, polled by functions that call or loop.
    /// A function that only calls straight leaves runs a bounded number of instructions and does
    /// not poll. One that makes no call at all and has a small frame checks nothing: the limit's
    /// margin covers its frame.
    /// </summary>
    private void EmitEntryChecks()
    {
        // The size is a generous estimate: 16 bytes per local or slot, 8 per IL stack entry, 1 KiB of the JIT's own,
        // and what straight leaves inlined into this function may add (the JIT stops inlining at 512 locals).
        int frameBytes = 16 * (_paramCount + _declaredLocals) + 8 * _maxIlHeight + 1024 + (_callsStraightLeaves ? InlinedLeavesBytes : 0);
        bool loops = _loopFuel is not null;
        if (frameBytes > HugeFrameBytes)
        {
            _frameMarker ??= Declare(typeof(nint));
            LdInstance();
            _il.Emit(OpCodes.Ldloca, _frameMarker);
            _il.Emit(OpCodes.Conv_U);
            Ldc(frameBytes);
            Call(typeof(Guard), nameof(Guard.EnterHugeFrame));
        }
        else if (frameBytes > SmallFrameBytes || _calls || _callsStraightLeaves || loops) EmitStackCheck();
        // The stack check doubles as the budget's (see Guard); loops start with the back-edges they may take before they poll.
        if (!loops) return;
        LdInstance();
        _il.Emit(OpCodes.Ldfld, _m.Token(LoopAllowanceField));
        _il.Emit(OpCodes.Stloc, _loopFuel!);
    }

    private static readonly FieldInfo LoopAllowanceField = ClrTypes.Field(typeof(WasmInstance), nameof(WasmInstance.LoopAllowance));

    /// <summary>
    /// Whether the function makes calls (direct, imported or indirect) other than calls straight
    /// before an unreachable and direct calls to straight leaves: calls that make it poll.
    /// </summary>
    private bool _calls;

    /// <summary>Whether the function calls a straight leaf directly, which the JIT may inline (see <see cref="IsStraightLeaf"/>).</summary>
    private bool _callsStraightLeaves;

    /// <summary>What inlined straight leaves may add to a frame: the JIT inlines no more once a method has 512 locals.</summary>
    private const int InlinedLeavesBytes = 512 * 16;

    /// <summary>A local whose address stands for the frame's position on the stack.</summary>
    private LocalBuilder? _frameMarker;

    /// <summary>Compares the frame's address with the stack limit (see <see cref="Guard.CheckStack"/>); leaves the IL stack as it was.</summary>
    private void EmitStackCheck()
    {
        _frameMarker ??= Declare(typeof(nint));
        LdInstance();
        _il.Emit(OpCodes.Ldloca, _frameMarker);
        _il.Emit(OpCodes.Conv_U);
        Call(typeof(Guard), nameof(Guard.CheckStack));
    }

    /// <summary>The deepest the IL evaluation stack gets: values not yet spilled to slots.</summary>
    private int _maxIlHeight;

    private void NoteIlHeight()
    {
        if (_stack.Count - _ilBase > _maxIlHeight) _maxIlHeight = _stack.Count - _ilBase;
    }

    // ---- operand stack -------------------------------------------------

    private LocalBuilder Slot(int depth, WasmValueType type)
    {
        if (!_slots.TryGetValue((depth, type), out var local))
            _slots[(depth, type)] = local = Declare(ClrTypes.Of(type));
        return local;
    }

    private LocalBuilder Temp(WasmValueType type, int n = 0)
    {
        if (!_temps.TryGetValue((type, n), out var local))
            _temps[(type, n)] = local = Declare(ClrTypes.Of(type));
        return local;
    }

    /// <summary>Stores every value on the IL stack into its slot, leaving the IL stack empty.</summary>
    private void SpillAll()
    {
        for (int i = _stack.Count - 1; i >= _ilBase; i--) _il.Emit(OpCodes.Stloc, Slot(i, _stack[i]));
        _ilBase = _stack.Count;
    }

    /// <summary>Makes the top <paramref name="count"/> operands sit on the IL stack (when emitting).</summary>
    private void Need(int count)
    {
        if (!Live) return;
        int low = Math.Max(_stack.Count - count, Top.Height);
        if (low >= _ilBase) return;
        SpillAll();
        for (int i = low; i < _stack.Count; i++) _il.Emit(OpCodes.Ldloc, Slot(i, _stack[i]));
        _ilBase = low;
        NoteIlHeight();
    }

    // Float constants by stack depth, so that identities the JIT would fold can be kept NaN-correct.
    private readonly Dictionary<int, double> _floatConstants = new();

    private void Push(WasmValueType type)
    {
        _floatConstants.Remove(_stack.Count);
        _stack.Add(type);
    }

    private void PushFloatConstant(WasmValueType type, double value)
    {
        _stack.Add(type);
        _floatConstants[_stack.Count - 1] = value;
    }

    private bool OperandIsIdentityConstant(int fromTop) =>
        _stack.Count - 1 - fromTop >= 0 && _floatConstants.TryGetValue(_stack.Count - 1 - fromTop, out var v) && (v == 0 || Math.Abs(v) == 1);

    private WasmValueType Pop()
    {
        var frame = Top;
        if (_stack.Count == frame.Height)
        {
            if (frame.Unreachable) return ClrTypes.Unknown;
            throw _r.Invalid("type mismatch: operand stack underflow");
        }
        var type = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        if (_ilBase > _stack.Count) _ilBase = _stack.Count;
        return type;
    }

    private WasmValueType Pop(WasmValueType expected)
    {
        var actual = Pop();
        if (actual != expected && actual != ClrTypes.Unknown && expected != ClrTypes.Unknown)
            throw _r.Invalid($"type mismatch: expected {expected.ToString().ToLowerInvariant()}, found {actual.ToString().ToLowerInvariant()}");
        return actual == ClrTypes.Unknown ? expected : actual;
    }

    private void PopAll(IReadOnlyList<WasmValueType> types)
    {
        for (int i = types.Count - 1; i >= 0; i--) Pop(types[i]);
    }

    /// <summary>Checks the top of the stack carries <paramref name="types"/> (the spec's pop-then-push).</summary>
    private void CheckTop(WasmValueType[] types)
    {
        var frame = Top;
        for (int i = 0; i < types.Length; i++)
        {
            int index = _stack.Count - types.Length + i;
            if (index < frame.Height)
            {
                if (!frame.Unreachable) throw _r.Invalid("type mismatch: not enough operands for the branch");
                continue;
            }
            var actual = _stack[index];
            if (actual != types[i] && actual != ClrTypes.Unknown)
                throw _r.Invalid($"type mismatch: branch expects {types[i].ToString().ToLowerInvariant()}, found {actual.ToString().ToLowerInvariant()}");
        }
        if (frame.Unreachable)
        {
            // Polymorphic stack: the label's types now sit on top.
            int keep = Math.Max(frame.Height, _stack.Count - types.Length);
            _stack.RemoveRange(keep, _stack.Count - keep);
            _stack.AddRange(types);
            _ilBase = _stack.Count;
        }
    }

    private void SetUnreachable()
    {
        var frame = Top;
        _stack.RemoveRange(frame.Height, _stack.Count - frame.Height);
        _ilBase = _stack.Count;
        frame.Unreachable = true;
    }

    // ---- emission helpers ----------------------------------------------

    private void Ldarg(int index)
    {
        switch (index)
        {
            case 0: _il.Emit(OpCodes.Ldarg_0); break;
            case 1: _il.Emit(OpCodes.Ldarg_1); break;
            case 2: _il.Emit(OpCodes.Ldarg_2); break;
            case 3: _il.Emit(OpCodes.Ldarg_3); break;
            default: _il.Emit(index < 256 ? OpCodes.Ldarg_S : OpCodes.Ldarg, index < 256 ? (byte)index : (short)index); break;
        }
    }

    private void LdInstance() => Ldarg(InstanceArg);

    private void Call(Type type, string name) => _il.Emit(OpCodes.Call, _m.Token(ClrTypes.Method(type, name)));

    private void ReloadMemory()
    {
        if (_memBase is null) return;
        LdInstance();
        _il.Emit(OpCodes.Ldfld, _m.Token(MemoryField));
        _il.Emit(OpCodes.Ldfld, _m.Token(BytesField));
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Ldlen);
        _il.Emit(OpCodes.Conv_U8);
        _il.Emit(OpCodes.Stloc, _memLen!);
        _il.Emit(OpCodes.Call, _m.Token(ArrayData));
        _il.Emit(OpCodes.Stloc, _memBase);
        // Limits a function never reads are dead stores the JIT drops.
        for (int k = 0; k < _memLimits.Length; k++)
        {
            _il.Emit(OpCodes.Ldloc, _memLen!);
            _il.Emit(OpCodes.Ldc_I4, 1 << k);
            _il.Emit(OpCodes.Conv_I8);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Stloc, _memLimits[k]!);
        }
    }

    /// <summary>
    /// The back-edges this function may take before it polls the budget again (see <see cref="Guard"/>):
    /// a local, so a loop iteration costs a register decrement; declared by the first back-edge
    /// and set by the poll on entry.
    /// </summary>
    private LocalBuilder? _loopFuel;

    /// <summary>Charges one loop iteration: every branch back to a loop does this before it jumps.</summary>
    private void EmitLoopCharge()
    {
        _loopFuel ??= Declare(typeof(long));
        var charged = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, _loopFuel);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, _loopFuel);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Bge, charged);
        LdInstance();
        Call(typeof(Guard), nameof(Guard.Poll));
        _il.Emit(OpCodes.Stloc, _loopFuel);
        _il.MarkLabel(charged);
    }

    /// <summary>Moves the top branch values into the target's slots and jumps (IL stack already empty).</summary>
    private void EmitMovesAndBranch(Frame target, OpCode branch)
    {
        var types = target.LabelTypes;
        int source = _stack.Count - types.Length;
        if (source != target.Height)
        {
            for (int i = 0; i < types.Length; i++)
            {
                _il.Emit(OpCodes.Ldloc, Slot(source + i, types[i]));
                _il.Emit(OpCodes.Stloc, Slot(target.Height + i, types[i]));
            }
        }
        if (target.Opcode == 0x03) EmitLoopCharge();
        _il.Emit(branch, target.Target);
    }

    /// <summary>Whether a branch to <paramref name="target"/> needs code of its own: value moves or a loop charge.</summary>
    private bool NeedsMoves(Frame target) => _stack.Count - target.LabelTypes.Length != target.Height || target.Opcode == 0x03;

    private Frame Label(uint depth)
    {
        if (depth >= _frames.Count) throw _r.Invalid($"unknown label {depth}");
        return _frames[_frames.Count - 1 - (int)depth];
    }

    // ---- block types -----------------------------------------------------

    private (WasmValueType[] Params, WasmValueType[] Results) ReadBlockType()
    {
        byte b = _r.PeekByte();
        if (b == 0x40) { _r.Position++; return ([], []); }
        if (b is 0x7F or 0x7E or 0x7D or 0x7C or 0x70 or 0x6F or 0x7B) return ([], [ModuleDecoder.ReadValueType(_r)]);
        int at = _r.Position;
        long index = _r.ReadS33();
        if (index < 0) throw _r.Malformed("malformed block type", at);
        if (index >= _info.Types.Count) throw _r.Invalid($"unknown type {index}", at);
        var type = _info.Types[(int)index];
        return ([.. type.Parameters], [.. type.Results]);
    }

    private Frame OpenFrame(byte opcode, WasmValueType[] parameters, WasmValueType[] results)
    {
        bool emitting = Live;
        PopAll(parameters);
        var frame = new Frame
        {
            Opcode = opcode, Params = parameters, Results = results, Height = _stack.Count, Emitting = emitting,
            Target = _il.DefineLabel(),
        };
        _stack.AddRange(parameters);
        _ilBase = _stack.Count;
        _frames.Add(frame);
        return frame;
    }
}
