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
        if (--instance.Fuel < 0) throw instance.BudgetExhausted();
    }

    /// <summary>For functions with large frames: probe the stack on every entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EnterLargeFrame(WasmInstance instance)
    {
        if (++instance.Depth > instance.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Traps.CallStackExhausted();
        if (--instance.Fuel < 0) throw instance.BudgetExhausted();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Leave(WasmInstance instance) => instance.Depth--;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tick(WasmInstance instance)
    {
        if (--instance.Fuel < 0) throw instance.BudgetExhausted();
    }
}
