using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using ImageHub.Wasm.Decoding;

namespace ImageHub.Wasm.Compilation;

/// <summary>What every function compiler of one module needs to know about the module.</summary>
internal sealed class ModuleContext(ModuleInfo info, ModuleBuilder module, MethodBuilder?[] methods, HashSet<int> declaredReferences)
{
    // Emitting a call or field access by MethodInfo/FieldInfo costs a metadata lookup per
    // site (tens of microseconds); tokens are looked up once per module instead.
    private readonly Dictionary<MemberInfo, int> _tokens = new();
    private readonly Dictionary<FunctionSignature, int> _calliTokens = new();

    public ModuleInfo Info { get; } = info;
    /// <summary>The method of each defined function (null for imports).</summary>
    public MethodBuilder?[] Methods { get; } = methods;
    /// <summary>Functions that <c>ref.func</c> may name (declared by elements, exports or globals).</summary>
    public HashSet<int> DeclaredReferences { get; } = declaredReferences;
    public bool HasMemory => Info.Memories.Count > 0;

    private bool?[]? _straightLeaves;

    /// <summary>Whether defined function <paramref name="function"/> compiles to a straight leaf the JIT may inline (see <see cref="BodyScanner.IsStraightLeaf"/>).</summary>
    public bool IsStraightLeaf(int function)
    {
        _straightLeaves ??= new bool?[Info.FunctionTypes.Count];
        return _straightLeaves[function] ??= function >= Info.ImportedFunctionCount
            && BodyScanner.IsStraightLeaf(Info, Info.Bodies[function - Info.ImportedFunctionCount], Info.FunctionSignature(function).Parameters.Count);
    }

    public int Token(MethodInfo method)
    {
        if (!_tokens.TryGetValue(method, out int token)) _tokens[method] = token = module.GetMethodMetadataToken(method);
        return token;
    }

    public int Token(FieldInfo field)
    {
        if (!_tokens.TryGetValue(field, out int token)) _tokens[field] = token = module.GetFieldMetadataToken(field);
        return token;
    }

    /// <summary>The stand-alone signature token of the compiled calling convention for <paramref name="sig"/>.</summary>
    public int CalliToken(FunctionSignature sig)
    {
        if (!_calliTokens.TryGetValue(sig, out int token))
        {
            var helper = SignatureHelper.GetMethodSigHelper(module, CallingConventions.Standard, ClrTypes.ReturnType(sig));
            helper.AddArguments(ClrTypes.ParameterTypes(sig), null, null);
            _calliTokens[sig] = token = module.GetSignatureMetadataToken(helper);
        }
        return token;
    }
}
