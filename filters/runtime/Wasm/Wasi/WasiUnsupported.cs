using System.Linq.Expressions;

namespace ImageHub.Wasm.Wasi;

/// <summary>
/// Links the WASI functions a module imports but <see cref="WasiHost"/> does not
/// implement (files, sockets, ...) to stubs that answer ENOSYS, so a module that
/// merely references them still instantiates, and fails politely if it calls one.
/// </summary>
public static class WasiUnsupported
{
    /// <summary>
    /// Adds a stub for every WASI function import of <paramref name="module"/> that
    /// <paramref name="imports"/> does not offer yet, whose name WASI preview1 defines and
    /// whose declared signature is the one WASI defines (a mismatch is left for the
    /// linker to report). <paramref name="onCall"/> hears the name of each stub called.
    /// Returns the imports that were stubbed.
    /// </summary>
    public static IReadOnlyList<ImportDescriptor> AddStubs(WasmImports imports, IWasmModule module, Action<string>? onCall = null)
    {
        var stubbed = new List<ImportDescriptor>();
        foreach (var import in module.Imports)
        {
            if (import.Kind != ExternKind.Function || !WasiModuleNames.IsWasi(import.Module)) continue;
            if (imports.Resolve(import.Module, import.Name) is not null) continue;
            var expected = WasiFunctionSignatures.Of(import.Name);
            if (expected is null || !expected.Equals(import.Signature)) continue;
            imports.Function(import.Module, import.Name, Stub(import.Name, expected, onCall));
            stubbed.Add(import);
        }
        return stubbed;
    }

    /// <summary>A delegate of the signature's exact shape (Func/Action of int/long) that returns ENOSYS.</summary>
    public static Delegate Stub(string name, FunctionSignature signature, Action<string>? onCall = null)
    {
        var parameters = signature.Parameters
            .Select((type, i) => Expression.Parameter(type == WasmValueType.I64 ? typeof(long) : typeof(int), $"p{i}"))
            .ToArray();
        var body = new List<Expression>();
        if (onCall is not null) body.Add(Expression.Invoke(Expression.Constant(onCall), Expression.Constant(name)));
        body.Add(signature.Results.Count == 0 ? Expression.Empty() : Expression.Constant((int)WasiErrno.NoSys));
        var returnType = signature.Results.Count == 0 ? typeof(void) : typeof(int);
        var delegateType = Expression.GetDelegateType([.. parameters.Select(p => p.Type), returnType]);
        return Expression.Lambda(delegateType, Expression.Block(body), parameters).Compile();
    }
}
