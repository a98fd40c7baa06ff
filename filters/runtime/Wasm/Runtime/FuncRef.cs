namespace ImageHub.Wasm.Runtime;

/// <summary>
/// A function value: what a funcref holds, a table slot holds and an import
/// resolves to. <see cref="Code"/> points at compiled code with the engine's
/// calling convention <c>(params..., WasmInstance owner, ref extraResults...)</c>.
/// </summary>
public sealed class FuncRef(FunctionSignature signature, int typeId, nint code, WasmInstance owner, string name)
{
    public FuncRef(FunctionSignature signature, nint code, WasmInstance owner, string name)
        : this(signature, SignatureIds.Of(signature), code, owner, name) { }

    /// <summary>Equal for structurally equal signatures, which is what call_indirect compares.</summary>
    public readonly int TypeId = typeId;
    public readonly nint Code = code;
    public readonly WasmInstance Owner = owner;
    public FunctionSignature Signature { get; } = signature;
    public string Name { get; } = name;
    public override string ToString() => $"funcref {Name} {Signature}";
}

/// <summary>A process-wide number per distinct signature.</summary>
public static class SignatureIds
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<FunctionSignature, int> Ids = new();
    private static int _next;
    public static int Of(FunctionSignature signature) => Ids.GetOrAdd(signature, _ => Interlocked.Increment(ref _next));
}
