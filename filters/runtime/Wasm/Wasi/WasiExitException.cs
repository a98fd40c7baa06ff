namespace ImageHub.Wasm.Wasi;

/// <summary>
/// The guest called <c>proc_exit</c>. It is a <see cref="WasmTrapException"/> so that
/// it unwinds through the engine like any trap and callers that only know the
/// engine-neutral API still stop cleanly; callers that care read <see cref="ExitCode"/>.
/// </summary>
public sealed class WasiExitException(int exitCode)
    : WasmTrapException(TrapKind.HostFunctionFailed, $"proc_exit({exitCode})")
{
    public int ExitCode { get; } = exitCode;

    /// <summary>Finds a proc_exit in <paramref name="exception"/> or its inner exceptions (an engine may wrap it).</summary>
    public static WasiExitException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is WasiExitException exit) return exit;
        return null;
    }
}
