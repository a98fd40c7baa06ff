namespace ImageHub.Wasm.Wasi;

/// <summary>
/// Runs a WASI command module the way <c>wasmtime run</c> does: link the WASI imports
/// (ENOSYS stubs for the unsupported rest), instantiate, call <c>_start</c>, and turn a
/// <c>proc_exit</c> into an exit code. Traps and link errors propagate to the caller.
/// </summary>
public static class WasiCommand
{
    public const string StartExport = "_start";

    /// <summary>The WASI imports for <paramref name="module"/>: the host's functions plus ENOSYS stubs.</summary>
    public static WasmImports ImportsFor(IWasmModule module, WasiHost host, WasmImports? imports = null)
    {
        imports = host.AddTo(imports ?? new WasmImports());
        WasiUnsupported.AddStubs(imports, module);
        return imports;
    }

    /// <summary>
    /// Instantiates <paramref name="module"/> and runs <c>_start</c>. Returns 0 when it returns,
    /// or the code passed to <c>proc_exit</c> (also when the start function exits).
    /// </summary>
    /// <exception cref="WasmLinkException">imports are missing, or there is no <c>_start</c> of type () -> ().</exception>
    /// <exception cref="WasmTrapException">the guest trapped (or ran out of its budget).</exception>
    public static int Run(IWasmModule module, WasiOptions options, InstanceLimits? limits = null,
        long? fuel = null, TimeSpan? deadline = null)
    {
        var start = module.Exports.FirstOrDefault(e => e.Name == StartExport);
        if (start is not { Kind: ExternKind.Function, Signature: { Parameters.Count: 0, Results.Count: 0 } })
            throw new WasmLinkException($"the module exports no function {StartExport} of type () -> (); is it a WASI command?");

        var host = new WasiHost(options);
        try
        {
            var instance = module.Instantiate(ImportsFor(module, host), limits);
            if (fuel is not null || deadline is not null) instance.SetBudget(fuel, deadline);
            instance.GetFunction<Action>(StartExport)!();
            return 0;
        }
        catch (WasmTrapException trap) when (WasiExitException.Find(trap) is { } exit)
        {
            return exit.ExitCode;
        }
        finally
        {
            host.Flush();
        }
    }
}
