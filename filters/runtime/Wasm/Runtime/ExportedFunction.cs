namespace ImageHub.Wasm.Runtime;

/// <summary>An exported function called with boxed values (tools, the spec-test runner).</summary>
public sealed class ExportedFunction(FuncRef function) : IWasmFunction
{
    public FuncRef Function { get; } = function;
    public FunctionSignature Signature => Function.Signature;
    public object?[] Invoke(params object?[] arguments) => Compilation.EntryPoints.Invoke(Function, arguments);
}
