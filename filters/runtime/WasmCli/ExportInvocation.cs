using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Cli;

/// <summary>
/// <c>run --invoke NAME</c>: instantiates the module with WASI linked, runs <c>_initialize</c>
/// when the module is a WASI reactor, calls the export with the command-line values and
/// prints each result on its own line.
/// </summary>
internal sealed class ExportInvocation(IWasmModule module, RunRequest request, WasiOptions options, InstanceLimits? limits, TextWriter output)
{
    /// <summary>The request cannot be carried out as asked (no such export, wrong arguments).</summary>
    public sealed class InvocationException(string message) : Exception(message);

    public int Run()
    {
        var name = request.Invoke!;
        var export = module.Exports.FirstOrDefault(e => e.Name == name && e.Kind == ExternKind.Function)
            ?? throw new InvocationException($"{request.ModulePath} exports no function '{name}'; its functions: " +
                string.Join(", ", module.Exports.Where(e => e.Kind == ExternKind.Function).Select(e => e.Name)));
        var signature = export.Signature!;
        if (request.Arguments.Count != signature.Parameters.Count)
            throw new InvocationException($"'{name}' takes {signature.Parameters.Count} argument(s) {signature}, got {request.Arguments.Count}");
        object?[] arguments;
        try
        {
            arguments = request.Arguments.Select((text, i) => ValueText.Parse(text, signature.Parameters[i])).ToArray();
        }
        catch (FormatException bad)
        {
            throw new InvocationException($"argument for '{name}': {bad.Message}");
        }

        var host = new WasiHost(options);
        try
        {
            var instance = module.Instantiate(WasiCommand.ImportsFor(module, host), limits);
            if (request.Fuel is not null || request.Timeout is not null) instance.SetBudget(request.Fuel, request.Timeout);
            if (name != "_initialize" && module.Exports.Any(e => e.Name == "_initialize" && e.Kind == ExternKind.Function))
                instance.GetFunction("_initialize")!.Invoke();
            var results = instance.GetFunction(name)!.Invoke(arguments);
            foreach (var result in results) output.WriteLine(ValueText.Format(result));
            return 0;
        }
        finally
        {
            host.Flush();
        }
    }
}
