using System.Runtime.CompilerServices;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// Checks compiled code makes on function entry and loop back-edges: call depth,
/// the .NET stack, and the fuel/deadline budget.
/// </summary>
public static class Guard
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter(WasmInstance instance)
    {
        int depth = ++instance.Depth;
        // Probing the real stack every eighth frame is enough for small frames.
        if (depth > instance.MaxDepth || ((depth & 7) == 0 && !RuntimeHelpers.TryEnsureSufficientExecutionStack())) throw Traps.CallStackExhausted();
        ChargeFuel(instance);
    }

    /// <summary>For functions with large frames: probe the stack on every entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EnterLargeFrame(WasmInstance instance)
    {
        if (++instance.Depth > instance.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Traps.CallStackExhausted();
        ChargeFuel(instance);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Leave(WasmInstance instance) => instance.Depth--;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tick(WasmInstance instance) => ChargeFuel(instance);

    /// <summary>
    /// Volatile on purpose: the deadline timer stops a running loop by storing a negative
    /// <see cref="WasmInstance.Fuel"/> from another thread. A plain field access lets the JIT keep
    /// the counter in a register for the whole loop (after on-stack replacement), and then the
    /// loop never sees the timer's store and spins forever.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ChargeFuel(WasmInstance instance)
    {
        long left = Volatile.Read(ref instance.Fuel) - 1;
        Volatile.Write(ref instance.Fuel, left);
        // Every 65536 charges the clock is read too, so a deadline holds even when the timer's
        // store is lost or late (an endless-loop test hung now and then on the timer alone).
        if (left < 0 || ((left & 0xFFFF) == 0 && instance.DeadlinePassed)) throw instance.BudgetExhausted();
    }
}
