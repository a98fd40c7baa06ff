using System.Runtime.CompilerServices;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// Checks compiled code makes on function entry and loop back-edges: call depth,
/// the .NET stack, and the fuel/deadline budget.
/// </summary>
/// <remarks>
/// Fuel lives in <see cref="WasmInstance.Fuel"/>. A function entry charges it one unit. Loop
/// back-edges charge a counter kept in a local of the compiled function instead, so a hot loop
/// does no memory round trip: without a fuel limit the counter takes <see cref="FuelChunk"/>
/// units at a time from the instance (<see cref="RefillLoopFuel"/>) and gives back what it did
/// not use when the function returns. Under a fuel limit it takes one unit at a time, so the
/// count stays exact (a reserve held by a looping caller would make its callees run dry early).
/// <para>
/// Only the running thread writes the budget; the deadline is checked against the clock, so no
/// stop signal from another thread can be overwritten and lost. Function entries read the clock
/// every <see cref="ClockInterval"/> units; loops compare with <see cref="DeadlineClock"/> at
/// every refill, a load rather than a call, so the JIT keeps loop values in registers.
/// </para>
/// </remarks>
public static class Guard
{
    /// <summary>Loop iterations a function may run between two visits to the instance's budget when fuel is unlimited.</summary>
    public const long FuelChunk = 1024;

    /// <summary>Function entries between two clock readings (a power of two).</summary>
    public const long ClockInterval = 16384;

    /// <summary>
    /// A function entry. <paramref name="probeMask"/> (a constant of the compiled function: 7 for
    /// small frames, 0 for large ones) makes the .NET stack probe run at every (mask + 1)-th nesting level.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter(WasmInstance instance, int probeMask)
    {
        int depth = ++instance.Depth;
        if (depth > instance.MaxDepth || ((depth & probeMask) == 0 && !RuntimeHelpers.TryEnsureSufficientExecutionStack())) throw Traps.CallStackExhausted();
        ChargeEntry(instance);
    }

    /// <summary>
    /// For frames larger than the margin <see cref="RuntimeHelpers.TryEnsureSufficientExecutionStack"/>
    /// guarantees (thousands of locals or operand-stack slots): checks that the frame itself fits too.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EnterHugeFrame(WasmInstance instance, int frameBytes)
    {
        if (++instance.Depth > instance.MaxDepth || !StackHasRoomFor(frameBytes)) throw Traps.CallStackExhausted();
        ChargeEntry(instance);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Leave(WasmInstance instance) => instance.Depth--;

    /// <summary>The exit of a function with loops: also returns the loop fuel it took and did not use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LeaveReturningFuel(WasmInstance instance, long unusedLoopFuel)
    {
        instance.Depth--;
        if (unusedLoopFuel != 0) instance.Fuel += unusedLoopFuel;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ChargeEntry(WasmInstance instance)
    {
        long left = --instance.Fuel;
        if ((left & (ClockInterval - 1)) == 0 || left < 0) CheckBudget(instance, left);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckBudget(WasmInstance instance, long left)
    {
        if (left < 0 || instance.DeadlinePassed) throw instance.BudgetExhausted();
    }

    /// <summary>
    /// A loop's local counter ran out: charges this iteration and hands the loop the further
    /// iterations of its next step (none under a fuel limit). Inlined, and it makes no call
    /// except on the way to a trap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long RefillLoopFuel(WasmInstance instance)
    {
        long fuel = instance.Fuel;
        long step = instance.LoopFuelStep;
        if (fuel < step || DeadlineClock.Now >= instance.DeadlineTimestamp) throw instance.BudgetExhausted();
        instance.Fuel = fuel - step;
        return step - 1;
    }
}
