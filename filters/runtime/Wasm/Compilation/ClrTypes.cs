using System.Reflection;
using ImageHub.Wasm.Runtime;

namespace ImageHub.Wasm.Compilation;

/// <summary>How WebAssembly types and signatures look in IL.</summary>
internal static class ClrTypes
{
    public const WasmValueType Unknown = 0;

    public static Type Of(WasmValueType type) => type switch
    {
        WasmValueType.I32 => typeof(int),
        WasmValueType.I64 => typeof(long),
        WasmValueType.F32 => typeof(float),
        WasmValueType.F64 => typeof(double),
        WasmValueType.FuncRef or WasmValueType.ExternRef => typeof(object),
        _ => throw new NotSupportedException($"value type {type}"),
    };

    public static bool IsReference(WasmValueType type) => type is WasmValueType.FuncRef or WasmValueType.ExternRef;

    public static bool IsNumeric(WasmValueType type) => type is WasmValueType.I32 or WasmValueType.I64 or WasmValueType.F32 or WasmValueType.F64;

    /// <summary>The compiled calling convention: <c>R0 f(params..., WasmInstance, ref R1, ..., ref Rn)</c>.</summary>
    public static Type ReturnType(FunctionSignature s) => s.Results.Count == 0 ? typeof(void) : Of(s.Results[0]);

    public static Type[] ParameterTypes(FunctionSignature s)
    {
        var types = new List<Type>(s.Parameters.Count + s.Results.Count + 1);
        foreach (var p in s.Parameters) types.Add(Of(p));
        types.Add(typeof(WasmInstance));
        for (int i = 1; i < s.Results.Count; i++) types.Add(Of(s.Results[i]).MakeByRefType());
        return [.. types];
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), MethodInfo> Methods = new();

    /// <summary>A public method by name, cached: compiling a large module looks helpers up hundreds of thousands of times.</summary>
    public static MethodInfo Method(Type type, string name) => Methods.GetOrAdd((type, name), static key =>
        key.Item1.GetMethod(key.Item2, BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance) ?? throw new MissingMethodException(key.Item1.Name, key.Item2));

    public static FieldInfo Field(Type type, string name) =>
        type.GetField(name) ?? throw new MissingFieldException(type.Name, name);
}
