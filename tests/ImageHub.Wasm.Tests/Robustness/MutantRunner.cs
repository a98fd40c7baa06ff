using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Tests.Robustness;

/// <summary>
/// Takes one (mutated) module as far as it goes: compile, link (WASI and zero-returning
/// stubs for every other function import), instantiate with tight limits, then call every
/// exported function with small arguments under a fuel budget and a deadline.
/// </summary>
internal sealed class MutantRunner(IWasmEngine engine, TimeSpan? deadlinePerCall = null)
{
    private const long FuelPerCall = 200_000;
    private readonly TimeSpan _deadlinePerCall = deadlinePerCall ?? TimeSpan.FromMilliseconds(200);

    // A mutated start function may spin too: it gets the same budget as one call.
    private InstanceLimits Limits => new()
    {
        MaxMemoryPages = 256, MaxTableElements = 100_000, MaxStackBytes = 256 * 1024, StartFuel = FuelPerCall, StartDeadline = _deadlinePerCall,
    };

    /// <summary>Throws whatever the engine throws that is not one of the acceptable outcomes.</summary>
    public MutantOutcome Run(byte[] bytes, IReadOnlyList<string> guestArguments)
    {
        IWasmModule module;
        try
        {
            module = engine.Compile(bytes);
        }
        catch (WasmFormatException)
        {
            return MutantOutcome.Rejected;
        }

        var imports = new WasiHost(new WasiOptions { Arguments = guestArguments }).AddTo(new WasmImports());
        WasiUnsupported.AddStubs(imports, module);
        HostStubs.AddFor(module, imports);
        IWasmInstance instance;
        try
        {
            instance = module.Instantiate(imports, Limits);
        }
        catch (WasmLinkException)
        {
            return MutantOutcome.LinkFailed;
        }
        catch (WasmTrapException)
        {
            return MutantOutcome.Trapped;
        }

        // Every export gets its call, also after another one trapped: more of the code runs.
        var outcome = MutantOutcome.Returned;
        foreach (var export in module.Exports.Where(e => e.Kind == ExternKind.Function))
        {
            try
            {
                var function = instance.GetFunction(export.Name);
                if (function is null) continue;
                instance.SetBudget(FuelPerCall, _deadlinePerCall);
                function.Invoke(function.Signature.Parameters.Select(HostStubs.Argument).ToArray());
            }
            catch (WasmTrapException)
            {
                outcome = MutantOutcome.Trapped;
            }
        }
        return outcome;
    }
}
