using System.Runtime.CompilerServices;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// Checks compiled code makes on function entry and loop back-edges: the .NET stack and the
/// fuel/deadline budget. Neither check writes memory on the fast path, so a run of calls forms
/// no chain of dependent read-modify-writes.
/// </summary>
/// <remarks>
/// <para>
/// Stack: a function compares the address of a local of its frame with
/// <see cref="WasmInstance.StackLimit"/>, as V8 compares the stack pointer. Above the limit the
/// stack is known to have room (see <see cref="ProbeReach"/>); below it <see cref="ExtendStack"/>
/// traps, or probes the .NET stack and lowers the limit. Every entry from .NET sets the limit
/// for the calling thread (<see cref="EnterFromHost"/>), so re-entry from a host function and
/// threads with small stacks are covered, and <see cref="InstanceLimits.MaxStackBytes"/> bounds
/// how far below that entry wasm may go.
/// </para>
/// <para>
/// Budget: the stack limit doubles as the budget's stop signal, as in V8. Once an instance's
/// deadline has passed, <see cref="DeadlineClock"/>'s thread sets its limit to the highest address
/// at every tick, so the next function entry takes the slow path, which finds the deadline passed
/// and traps; under a fuel limit the limit stays there, so every entry charges one unit there.
/// The running thread's own stores of the limit re-check the deadline
/// (<see cref="SetStackLimit"/>), so no stop is lost. Loops count down a local and poll
/// (<see cref="Poll"/>) every <see cref="LoopChunk"/> back-edges (every back-edge under a fuel
/// limit), comparing the ticking clock with <see cref="WasmInstance.InterruptAt"/>. A function
/// without calls or loops runs a bounded number of instructions and, with a small frame, does
/// not check: any unbounded run goes through a loop back-edge or a function that calls (and
/// checks). A call straight before an unreachable is checked at the call instead of on entry.
/// </para>
/// </remarks>
public static class Guard
{
    /// <summary>Loop back-edges between two polls when fuel is unlimited.</summary>
    public const long LoopChunk = 1024;

    /// <summary>
    /// How far below a successful probe of the .NET stack the stack limit is put. The probe
    /// (<see cref="RuntimeHelpers.TryEnsureSufficientExecutionStack"/>) guarantees 128 KiB on
    /// 64-bit; below the limit remain at least 112 KiB for the frame that passed the check (at
    /// most 32 KiB, larger ones are probed whole by <see cref="EnterHugeFrame"/>), a callee
    /// that does not check (a leaf of at most 6 KiB) and the runtime throwing a trap.
    /// </summary>
    public const int ProbeReach = 16 * 1024;

    /// <summary>An entry from .NET into compiled code of <paramref name="instance"/>: sets the stack limit for the calling thread.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void EnterFromHost(WasmInstance instance)
    {
        byte marker = 0;
        nuint here = (nuint)(&marker);
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Traps.CallStackExhausted();
        nuint budget = instance.MaxStackBytes;
        nuint floor = here > budget ? here - budget : 0;
        instance.StackFloor = floor;
        SetStackLimit(instance, Math.Max(floor, here - ProbeReach));
    }

    /// <summary>The way out of an entry from .NET: puts back the limits of the entry it was nested in.</summary>
    public static void LeaveToHost(WasmInstance instance, nuint limit, nuint floor)
    {
        instance.StackFloor = floor;
        SetStackLimit(instance, limit);
    }

    /// <summary>
    /// Sets the stack limit the running thread computed. The limit doubles as the budget's stop
    /// signal (see <see cref="DeadlineClock"/>, which sets it to the highest address once a deadline
    /// has passed): the store may have overwritten such a stop, so the deadline is checked again.
    /// No fence: while the clock ticks it stops the instance again at the next tick, and before it
    /// parks it flushes every thread's store buffer (a process-wide barrier) and looks once more,
    /// so either it sees this store or this check sees its last timestamp.
    /// Under a fuel limit the limit stays at the highest address, so every check charges.
    /// </summary>
    private static void SetStackLimit(WasmInstance instance, nuint limit)
    {
        if (instance.FuelLimited) { instance.StackLimit = nuint.MaxValue; return; }
        Volatile.Write(ref instance.StackLimit, limit);
        if (DeadlineClock.Now >= instance.DeadlineTimestamp) instance.StackLimit = nuint.MaxValue;
    }

    /// <summary>
    /// A function entry: <paramref name="frame"/> is the address of a local of the calling
    /// function's frame. One load and one comparison unless the frame is below the limit, or
    /// the budget asks to be checked (the limit is then the highest address).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckStack(WasmInstance instance, nuint frame)
    {
        if (frame < instance.StackLimit) ExtendStack(instance, frame);
    }

    /// <summary>
    /// Below the stack limit: charges fuel under a fuel limit and traps when the budget is spent;
    /// traps past the instance's stack budget or when the .NET stack runs short; else lowers the limit.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ExtendStack(WasmInstance instance, nuint frame)
    {
        ChargeEntry(instance);
        if (frame < instance.StackFloor || !RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Traps.CallStackExhausted();
        SetStackLimit(instance, Math.Max(instance.StackFloor, frame > ProbeReach ? frame - ProbeReach : 0));
    }

    /// <summary>One unit of fuel for a function entry (under a fuel limit); traps when the fuel is gone or the deadline has passed.</summary>
    private static void ChargeEntry(WasmInstance instance)
    {
        if ((instance.FuelLimited && --instance.Fuel < 0) || DeadlineClock.Now >= instance.DeadlineTimestamp) throw instance.BudgetExhausted();
    }

    /// <summary>
    /// For frames larger than what the limit's margin covers (thousands of locals or
    /// operand-stack slots): checks on every entry that the frame itself fits, and the budget.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EnterHugeFrame(WasmInstance instance, nuint frame, int frameBytes)
    {
        ChargeEntry(instance);
        if (frame < instance.StackFloor + (nuint)frameBytes || !StackHasRoomFor(frameBytes)) throw Traps.CallStackExhausted();
    }

    private const int ProbeStep = 32 * 1024;

    /// <summary>Walks down the stack in steps, each checked before it is taken, until <paramref name="bytes"/> are covered.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool StackHasRoomFor(int bytes)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) return false;
        if (bytes <= 0) return true;
        Span<byte> step = stackalloc byte[ProbeStep];
        step[^1] = 1;
        return StackHasRoomFor(bytes - ProbeStep) && step[^1] == 1;
    }

    /// <summary>
    /// Polls the budget; returns the back-edges a loop may take before it polls again (the
    /// compiled function keeps them in a local). Inlined: three loads and a comparison. The slow
    /// path, under a fuel limit, charges one unit and returns 0, so the next back-edge polls
    /// again. It makes no call except on the way to a trap: a call that returns, inside a loop,
    /// would make the JIT keep the loop's values on the stack instead of in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Poll(WasmInstance instance)
    {
        long now = Volatile.Read(ref instance.Clock.Timestamp);
        if (now < instance.InterruptAt) return LoopChunk - 1;
        // The ticking clock, not the real one: reading that costs ~0.1 µs, and under a fuel limit every poll comes here.
        if (!instance.FuelLimited || --instance.Fuel < 0 || now >= instance.DeadlineTimestamp) throw instance.BudgetExhausted();
        return 0;
    }

    /// <summary>
    /// A call through a <see cref="FuncRef"/> to a function of another instance: the callee
    /// checks its frames against its own instance's stack limit, which must be this thread's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ShareStack(WasmInstance callee, WasmInstance caller)
    {
        if (callee != caller) CopyStackLimits(callee, caller);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CopyStackLimits(WasmInstance callee, WasmInstance caller)
    {
        callee.StackFloor = caller.StackFloor;
        SetStackLimit(callee, caller.StackLimit);
    }
}
