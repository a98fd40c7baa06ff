using System.Runtime.CompilerServices;
using ImageHub.Wasm.Decoding;

namespace ImageHub.Wasm.Compilation;

/// <summary>
/// Which memory accesses of one straight-line run of instructions (a "region": no control flow,
/// calls or memory.grow) share one bounds check. Accesses whose addresses are the same i32 value
/// plus different small constants (`local.get $p` / `local.get $p; i32.const 8; i32.add`, also
/// through `local.tee`) form a group; its first access checks the whole extent of the group at
/// once, and the others go unchecked. A failing merged check does not trap: it jumps into a
/// second, normally checked copy of the region at the same instruction, so traps and the
/// stores before them stay exactly where the specification puts them (see
/// <see cref="FunctionCompiler"/>'s TryPlannedRegion). A planner refills one plan from region to region.
/// </summary>
internal sealed class BoundsCheckPlan
{
    /// <summary>The merged checks, by the position of the instruction (the group's first access) that does them.</summary>
    public Dictionary<int, MergedCheck> Checks { get; } = new();

    /// <summary>The accesses a merged check covers (the first ones included), by position.</summary>
    public Dictionary<int, CoveredAccess> Covered { get; } = new();

    /// <summary>
    /// Accesses whose address has a known range (a constant, a masked or shifted value, a loaded
    /// byte) that lies inside the module's minimum memory: memory never shrinks, so they need no check.
    /// </summary>
    public HashSet<int> InBounds { get; } = new();

    /// <summary>Where the region ends (the first instruction after it).</summary>
    public int End { get; set; }

    public void Clear()
    {
        Checks.Clear();
        Covered.Clear();
        InBounds.Clear();
    }
}

/// <param name="Group">The group's number in its region (each group keeps its checked address in a local of its own).</param>
/// <param name="Extent">Bytes from the first access's i32 address to the end of the group's furthest access.</param>
/// <param name="AddressBelowTop">Where the address sits on the operand stack: 0 for a load, 1 for a store (under its value).</param>
internal readonly record struct MergedCheck(int Group, long Extent, int AddressBelowTop);

/// <param name="Group">The group whose merged check covers this access.</param>
/// <param name="Displacement">The access's effective address minus the group's first i32 address (its delta plus its offset).</param>
internal readonly record struct CoveredAccess(int Group, long Displacement);

/// <summary>
/// Scans a region ahead of compilation (without validating; the compiler does that) and plans its
/// checks. One planner serves one function body and reuses its scratch space from region to region.
/// </summary>
internal sealed class BoundsCheckPlanner(ModuleInfo info, FunctionBody body, int localCount)
{
    /// <summary>Longer straight runs are split: the region is compiled twice, so this bounds the extra code.</summary>
    private const int MaxInstructions = 200;

    /// <summary>Constants added to an address that keep it in its group; larger ones start a new value.</summary>
    private const long MaxDelta = 1 << 16;

    /// <summary>Accesses further apart than this (offsets included) are not merged: the check would fail more often.</summary>
    private const long MaxSpread = 1 << 16;

    /// <summary>
    /// A value on the simulated stack: maybe an i32 constant, maybe "a local's value + delta"
    /// (an address that groups), and the unsigned range [Low, High] its i32 value lies in.
    /// </summary>
    private readonly record struct Sym(bool IsConst, long Const, int Local, int Version, long Delta, long Low, long High)
    {
        public bool IsAddress => Local >= 0;
        public static readonly Sym None = new(false, 0, -1, 0, 0, 0, uint.MaxValue);
        public static Sym Constant(int value) => new(true, value, -1, 0, 0, (uint)value, (uint)value);
        public static Sym Within(long low, long high) => high <= uint.MaxValue && low >= 0 ? None with { Low = low, High = high } : None;
        public static Sym Of(int local, int version, long delta) => None with { Local = local, Version = version, Delta = delta };
    }

    private readonly record struct Access(int Position, int Local, int Version, long Delta, uint Offset, int Size, bool IsStore);

    /// <summary>
    /// Plans the region starting at <paramref name="start"/>; null when it saves no check.
    /// <paramref name="merge"/> allows merged checks (the region is then compiled twice, which pays
    /// only inside loops). <paramref name="scanned"/> is where the scan stopped (no region starts before it again).
    /// </summary>
    // The planner runs over every straight-line run of every body: optimized from the first module
    // on (tier-0 code made compiling a module half again as slow).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public BoundsCheckPlan? Plan(int start, bool merge, out int scanned)
    {
        scanned = start + 1;
        // Most instructions that end one region do not start another: no scan for them.
        if (start >= body.CodeEnd || !StartsRegion(info.Bytes.Span[start])) return null;
        _accesses.Clear();
        var plan = _plan;
        plan.Clear();
        int end = Scan(start);
        scanned = Math.Max(end, start + 1);
        plan.End = end;
        if (merge) PlanGroups(plan);
        return plan.Checks.Count > 0 || plan.InBounds.Count > 0 ? plan : null;
    }

    /// <summary>Groups the accesses by address value (few per region: a quadratic pass is cheap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PlanGroups(BoundsCheckPlan plan)
    {
        var accesses = _accesses;
        for (int i = 0; i < accesses.Count; i++)
        {
            var first = accesses[i];
            if (plan.Covered.ContainsKey(first.Position) || IsGrouped(i)) continue;
            long firstEnd = first.Offset + (long)first.Size;
            long extent = firstEnd;
            bool distinct = false;
            _members.Clear();
            _members.Add(first);
            for (int j = i + 1; j < accesses.Count; j++)
            {
                var a = accesses[j];
                if (a.Local != first.Local || a.Version != first.Version) continue;
                // Later accesses below the first one's delta could wrap where it does not: they keep their own check.
                long end = a.Delta - first.Delta + a.Offset + (long)a.Size;
                if (a.Delta < first.Delta || Math.Abs(end - firstEnd) > MaxSpread) continue;
                _members.Add(a);
                extent = Math.Max(extent, end);
                distinct |= a.Delta + a.Offset != first.Delta + first.Offset || a.Size != first.Size;
            }
            // The same address and size again is a check the JIT already shares.
            if (!distinct) continue;
            int number = plan.Checks.Count;
            plan.Checks[first.Position] = new MergedCheck(number, extent, first.IsStore ? 1 : 0);
            foreach (var a in _members) plan.Covered[a.Position] = new CoveredAccess(number, a.Delta - first.Delta + a.Offset);
        }

        // An access belongs to the group of the first access with its address value, even when it
        // was left out of that group (it then keeps its own check rather than starting a group).
        bool IsGrouped(int index)
        {
            for (int k = 0; k < index; k++)
                if (accesses[k].Local == accesses[index].Local && accesses[k].Version == accesses[index].Version) return true;
            return false;
        }
    }

    private readonly long _minimumBytes = info.Memories.Count > 0 ? (long)Math.Min(info.Memories[0].Min, 1UL << 16) * 65536 : 0;
    private readonly List<Access> _accesses = new();
    private readonly List<Access> _members = new();
    private readonly BoundsCheckPlan _plan = new();
    private readonly List<Sym> _stack = new(16);
    private readonly Dictionary<int, int> _versions = new();
    private readonly Dictionary<int, Sym> _aliases = new();

    private static bool StartsRegion(byte op) => op is 0x20 or 0x21 or 0x22 or 0x23 or 0x41 or (>= 0x28 and <= 0x3E);

    private Sym Pop()
    {
        if (_stack.Count == 0) return Sym.None;
        var s = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return s;
    }

    private void PopPush(int pops, int pushes)
    {
        for (int i = 0; i < pops; i++) Pop();
        for (int i = 0; i < pushes; i++) _stack.Add(Sym.None);
    }

    /// <summary>Reads instructions while they belong in a region; returns where the region ends.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Scan(int start)
    {
        // A span, not the compiler's reader: this pass reads most code a second time, so it must be cheap.
        // Bytes it cannot read end the region there; the compiler then reports them.
        var code = info.Bytes.Span[..body.CodeEnd];
        int p = start;
        var stack = _stack;
        var versions = _versions;
        var aliases = _aliases;
        var accesses = _accesses;
        var inBounds = _plan.InBounds;
        long minimumBytes = _minimumBytes;
        stack.Clear();
        versions.Clear();
        aliases.Clear();

        for (int count = 0; count < MaxInstructions && p < code.Length; count++)
        {
            int at = p;
            byte op = code[p++];
            switch (op)
            {
                case 0x01: break;
                case 0x1A: Pop(); break;
                case 0x1B: PopPush(3, 1); break;
                case 0x20:
                {
                    if (!ReadU32(code, ref p, out uint i) || i >= localCount) return at;
                    stack.Add(aliases.TryGetValue((int)i, out var alias) ? alias : Sym.Of((int)i, 0, 0));
                    break;
                }
                case 0x21 or 0x22:
                {
                    if (!ReadU32(code, ref p, out uint i) || i >= localCount) return at;
                    var value = Pop();
                    int version = versions[(int)i] = versions.GetValueOrDefault((int)i) + 1;
                    // The local now holds a known address expression, or a fresh value of its own (with the same range).
                    aliases[(int)i] = value.IsAddress ? value : value with { Local = (int)i, Version = version, Delta = 0, IsConst = false };
                    if (op == 0x22) stack.Add(aliases[(int)i]);
                    break;
                }
                case 0x23: if (!ReadU32(code, ref p, out _)) return at; stack.Add(Sym.None); break;
                case 0x24: if (!ReadU32(code, ref p, out _)) return at; Pop(); break;
                case >= 0x28 and <= 0x3E:
                {
                    if (!ReadU32(code, ref p, out _) || !ReadU32(code, ref p, out uint offset)) return at;
                    bool isStore = op >= 0x36;
                    if (isStore) Pop();
                    var address = Pop();
                    if (address.High + offset + AccessSize(op) <= minimumBytes) inBounds.Add(at);
                    else if (address.IsAddress)
                        accesses.Add(new Access(at, address.Local, address.Version, address.Delta, offset, AccessSize(op), isStore));
                    if (!isStore) stack.Add(op switch { 0x2D => Sym.Within(0, byte.MaxValue), 0x2F => Sym.Within(0, ushort.MaxValue), _ => Sym.None });
                    break;
                }
                case 0x3F: if (!Skip(code, ref p, 1)) return at; stack.Add(Sym.None); break;
                case 0x41: if (!ReadS32(code, ref p, out int constant)) return at; stack.Add(Sym.Constant(constant)); break;
                case 0x42: if (!SkipLeb(code, ref p, 10)) return at; stack.Add(Sym.None); break;
                case 0x43: if (!Skip(code, ref p, 4)) return at; stack.Add(Sym.None); break;
                case 0x44: if (!Skip(code, ref p, 8)) return at; stack.Add(Sym.None); break;
                case 0x6A or 0x6B:
                {
                    var right = Pop();
                    var left = Pop();
                    stack.Add(AddConstant(left, right, op == 0x6B));
                    break;
                }
                case 0x45 or (>= 0x46 and <= 0x66): PopPush(NumericOperands(op), 0); stack.Add(Sym.Within(0, 1)); break;
                case 0x70 or 0x71 or 0x72 or 0x74 or 0x76:
                {
                    var right = Pop();
                    var left = Pop();
                    stack.Add(Bitwise(op, left, right));
                    break;
                }
                case >= 0x45 and <= 0xC4: PopPush(NumericOperands(op), 1); break;
                default: return at;
            }
        }
        return p;
    }

    private static bool Skip(ReadOnlySpan<byte> code, ref int p, int count)
    {
        if (count > code.Length - p) return false;
        p += count;
        return true;
    }

    private static bool SkipLeb(ReadOnlySpan<byte> code, ref int p, int maxBytes)
    {
        for (int n = 0; n < maxBytes && p < code.Length; n++)
            if ((code[p++] & 0x80) == 0) return true;
        return false;
    }

    private static bool ReadU32(ReadOnlySpan<byte> code, ref int p, out uint value)
    {
        value = 0;
        for (int shift = 0; shift < 35 && p < code.Length; shift += 7)
        {
            byte b = code[p++];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return shift < 28 || b < 0x10;
        }
        return false;
    }

    private static bool ReadS32(ReadOnlySpan<byte> code, ref int p, out int value)
    {
        long result = 0;
        value = 0;
        for (int shift = 0; shift < 35 && p < code.Length; shift += 7)
        {
            byte b = code[p++];
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) != 0) continue;
            if (shift + 7 < 64 && (b & 0x40) != 0) result |= -1L << (shift + 7);
            if (result is < int.MinValue or > int.MaxValue) return false;
            value = (int)result;
            return true;
        }
        return false;
    }

    /// <summary>
    /// i32.add / i32.sub: of two constants, a constant; of an address and a constant, the same value
    /// with another delta (mod 2^32); of two ranges, the range of the sum when it cannot wrap.
    /// </summary>
    private static Sym AddConstant(Sym left, Sym right, bool subtract)
    {
        if (left.IsConst && right.IsConst) return Sym.Constant(unchecked(subtract ? (int)left.Const - (int)right.Const : (int)left.Const + (int)right.Const));
        var sum = subtract ? Sym.Within(left.Low - right.High, left.High - right.Low) : Sym.Within(left.Low + right.Low, left.High + right.High);
        Sym address, constant;
        if (left.IsAddress && right.IsConst) (address, constant) = (left, right);
        else if (!subtract && right.IsAddress && left.IsConst) (address, constant) = (right, left);
        else return sum;
        long delta = address.Delta + (subtract ? -constant.Const : constant.Const);
        return delta is >= 0 and <= MaxDelta ? address with { Delta = delta, Low = sum.Low, High = sum.High } : sum;
    }

    /// <summary>The range of i32.rem_u, i32.and, i32.or, i32.shl and i32.shr_u (unsigned).</summary>
    private static Sym Bitwise(byte op, Sym left, Sym right)
    {
        switch (op)
        {
            case 0x70 when right.IsConst && right.Const != 0: return Sym.Within(0, Math.Min(left.High, right.Low - 1));
            case 0x71: return Sym.Within(0, Math.Min(left.High, right.High));
            case 0x72: return Sym.Within(0, (long)BitCeiling(Math.Max(left.High, right.High)));
            case 0x74 when right.IsConst: return Sym.Within(left.Low << (int)(right.Const & 31), left.High << (int)(right.Const & 31));
            case 0x76 when right.IsConst: return Sym.Within(left.Low >> (int)(right.Const & 31), left.High >> (int)(right.Const & 31));
            default: return Sym.None;
        }
    }

    /// <summary>The smallest 2^k - 1 at or above <paramref name="value"/>: an upper bound of an or.</summary>
    private static ulong BitCeiling(long value) => value <= 0 ? 0 : (1UL << (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value))) - 1;

    private static int AccessSize(byte op) => op switch
    {
        0x28 or 0x2A or 0x34 or 0x35 or 0x36 or 0x38 or 0x3E => 4,
        0x29 or 0x2B or 0x37 or 0x39 => 8,
        0x2C or 0x2D or 0x30 or 0x31 or 0x3A or 0x3C => 1,
        _ => 2,
    };

    /// <summary>Operands of the numeric instructions 0x45..0xC4 (each pushes one result).</summary>
    private static int NumericOperands(byte op) => op switch
    {
        0x45 or 0x50 => 1,
        >= 0x46 and <= 0x66 => 2,
        >= 0x67 and <= 0x69 => 1,
        >= 0x6A and <= 0x78 => 2,
        >= 0x79 and <= 0x7B => 1,
        >= 0x7C and <= 0x8A => 2,
        >= 0x8B and <= 0x91 => 1,
        >= 0x92 and <= 0x98 => 2,
        >= 0x99 and <= 0x9F => 1,
        >= 0xA0 and <= 0xA6 => 2,
        _ => 1,
    };
}
