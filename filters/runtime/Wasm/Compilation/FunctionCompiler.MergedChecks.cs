using System.Reflection.Emit;
using ImageHub.Wasm.Runtime;
using static ImageHub.Wasm.WasmValueType;

namespace ImageHub.Wasm.Compilation;

/// <summary>
/// Fewer bounds checks in straight-line code (see <see cref="BoundsCheckPlan"/>). Accesses whose
/// address range lies inside the module's minimum memory go unchecked. A region with merged
/// checks is compiled twice: a fast copy, where the first access of each group checks the
/// group's whole extent and the others go unchecked, and a precise copy with one check per
/// access. A failing merged check jumps to the same instruction in the precise copy, which then
/// traps (or not) exactly where the unmerged code would; both copies meet after the region.
/// Nothing observable happens between a merged check and the instruction it guards, and memory
/// never shrinks, so a check that passed stays true for the rest of the region.
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>No region is planned before this position (the last scan already covered it).</summary>
    private int _planFrom;

    private BoundsCheckPlanner? _planner;

    /// <summary>The plan of the region being emitted, and whether this is its fast copy.</summary>
    private BoundsCheckPlan? _region;
    private bool _fastCopy;

    /// <summary>Compiles the region starting here with fewer checks; false when it has nothing to save.</summary>
    private bool TryPlannedRegion()
    {
        if (_memBase is null || !Live || _r.Position < _planFrom) return false;
        _planner ??= new BoundsCheckPlanner(_info, _info.Bodies[_functionIndex - _info.ImportedFunctionCount], _localTypes.Length);
        var plan = _planner.Plan(_r.Position, InLoop(), out _planFrom);
        if (plan is null) return false;
        _region = plan;
        try
        {
            if (plan.Checks.Count == 0) EmitRegion(plan, [], fast: false);
            else EmitTwoCopies(plan);
        }
        finally { _region = null; }
        return true;
    }

    private bool InLoop()
    {
        foreach (var frame in _frames) if (frame.Opcode == 0x03) return true;
        return false;
    }

    private void EmitTwoCopies(BoundsCheckPlan plan)
    {
        // Both copies start and end with the operand stack in slot locals, so they share one state.
        SpillAll();
        int start = _r.Position;
        var stack = _stack.ToArray();
        var constants = new Dictionary<int, double>(_floatConstants);
        var precise = plan.Checks.Keys.ToDictionary(at => at, _ => _il.DefineLabel());
        var join = _il.DefineLabel();

        EmitRegion(plan, precise, fast: true);
        _il.Emit(OpCodes.Br, join);

        _r.Position = start;
        _stack.Clear();
        _stack.AddRange(stack);
        _ilBase = _stack.Count;
        _floatConstants.Clear();
        foreach (var (depth, value) in constants) _floatConstants[depth] = value;
        EmitRegion(plan, precise, fast: false);
        _il.MarkLabel(join);
    }

    private void EmitRegion(BoundsCheckPlan plan, Dictionary<int, Label> precise, bool fast)
    {
        _fastCopy = fast;
        while (_r.Position < plan.End)
        {
            if (precise.TryGetValue(_r.Position, out var label))
            {
                SpillAll();
                if (fast) EmitMergedCheck(plan.Checks[_r.Position], label);
                else _il.MarkLabel(label);
            }
            if (_stack.Count - _ilBase > MaxIlStack) SpillAll();
            Instruction();
            NoteIlHeight();
        }
        _fastCopy = false;
        if (precise.Count > 0) SpillAll();
    }

    /// <summary>Jumps to the precise copy unless the group's whole extent lies in memory.</summary>
    private void EmitMergedCheck(MergedCheck check, Label precise)
    {
        int index = _stack.Count - 1 - check.AddressBelowTop;
        // Code the validator will reject anyway never runs the unchecked accesses: it always takes the precise copy.
        if (index < Top.Height || _stack[index] != I32)
        {
            _il.Emit(OpCodes.Br, precise);
            return;
        }
        // address > length - extent, signed: the address is below 2^32, the length below 2^31 and the
        // extent below 2^33, so nothing wraps. Small extents round up to a power of two whose
        // length - extent is cached with the memory (a stricter check; the precise copy handles the rest).
        _il.Emit(OpCodes.Ldloc, Slot(index, I32));
        _il.Emit(OpCodes.Conv_U8);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, GroupAddress(check.Group));
        int k = System.Numerics.BitOperations.Log2(System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)check.Extent));
        if (k < _memLimits.Length) _il.Emit(OpCodes.Ldloc, _memLimits[k]!);
        else
        {
            _il.Emit(OpCodes.Ldloc, _memLen!);
            _il.Emit(OpCodes.Ldc_I8, check.Extent);
            _il.Emit(OpCodes.Sub);
        }
        _il.Emit(OpCodes.Bgt, precise);
    }

    /// <summary>A group's first i32 address, zero-extended: its accesses address memory from it by constant displacements.</summary>
    private LocalBuilder GroupAddress(int group) => Temp(I64, 1000 + group);

    /// <summary>
    /// Emits the access at <paramref name="at"/> without a check when the plan allows (its address
    /// and, for a store, its value on the IL stack); false when it needs its own check.
    /// </summary>
    private bool TryEmitUncheckedAccess(string helper, uint offset, int at, WasmValueType? stored)
    {
        if (_region is null) return false;
        bool inBounds = _region.InBounds.Contains(at);
        CoveredAccess covered = default;
        if (!inBounds && !(_fastCopy && _region.Covered.TryGetValue(at, out covered))) return false;
        var value = stored is { } type ? Temp(type, 7) : null;
        if (value is not null) _il.Emit(OpCodes.Stloc, value);
        long displacement;
        if (inBounds)
        {
            _il.Emit(OpCodes.Conv_U8);
            displacement = offset;
        }
        else
        {
            // The group's address plus a constant: the i32 address itself is not needed.
            _il.Emit(OpCodes.Pop);
            _il.Emit(OpCodes.Ldloc, GroupAddress(covered.Group));
            displacement = covered.Displacement;
        }
        if (displacement != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, displacement);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Ldloc, _memBase!);
        if (value is not null) _il.Emit(OpCodes.Ldloc, value);
        Call(typeof(UncheckedMemoryAccess), helper);
        return true;
    }
}
