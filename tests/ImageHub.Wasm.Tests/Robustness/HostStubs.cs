using System.Linq.Expressions;

namespace ImageHub.Wasm.Tests.Robustness;

/// <summary>
/// Host functions of whatever signature a (mutated) module imports: they return zero,
/// so that a module whose import types were mutated still links and runs.
/// </summary>
internal static class HostStubs
{
    /// <summary>Offers a zero-returning function for every function import not offered yet (single result at most).</summary>
    public static void AddFor(IWasmModule module, WasmImports imports)
    {
        foreach (var import in module.Imports)
        {
            if (import is not { Kind: ExternKind.Function, Signature: { } signature } || signature.Results.Count > 1) continue;
            if (imports.Resolve(import.Module, import.Name) is not null) continue;
            if (signature.Parameters.Concat(signature.Results).Any(t => t == WasmValueType.V128)) continue;
            imports.Function(import.Module, import.Name, Zero(signature));
        }
    }

    private static Delegate Zero(FunctionSignature signature)
    {
        var parameters = signature.Parameters.Select((t, i) => Expression.Parameter(ClrType(t), $"p{i}")).ToArray();
        var returnType = signature.Results.Count == 0 ? typeof(void) : ClrType(signature.Results[0]);
        Expression body = returnType == typeof(void) ? Expression.Empty() : Expression.Default(returnType);
        var delegateType = Expression.GetDelegateType([.. parameters.Select(p => p.Type), returnType]);
        return Expression.Lambda(delegateType, body, parameters).Compile();
    }

    public static Type ClrType(WasmValueType type) => type switch
    {
        WasmValueType.I32 => typeof(int),
        WasmValueType.I64 => typeof(long),
        WasmValueType.F32 => typeof(float),
        WasmValueType.F64 => typeof(double),
        _ => typeof(object),
    };

    /// <summary>A small argument of each type, so that loops run a few times rather than zero.</summary>
    public static object? Argument(WasmValueType type) => type switch
    {
        WasmValueType.I32 => 3,
        WasmValueType.I64 => 3L,
        WasmValueType.F32 => 1.5f,
        WasmValueType.F64 => 2.5,
        _ => null,
    };
}
