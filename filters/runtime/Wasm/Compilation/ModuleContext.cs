using System.Reflection.Emit;
using ImageHub.Wasm.Decoding;

namespace ImageHub.Wasm.Compilation;

/// <summary>What every function compiler of one module needs to know about the module.</summary>
internal sealed class ModuleContext(ModuleInfo info, MethodBuilder?[] methods, HashSet<int> declaredReferences)
{
    public ModuleInfo Info { get; } = info;
    /// <summary>The method of each defined function (null for imports).</summary>
    public MethodBuilder?[] Methods { get; } = methods;
    /// <summary>Functions that <c>ref.func</c> may name (declared by elements, exports or globals).</summary>
    public HashSet<int> DeclaredReferences { get; } = declaredReferences;
    public bool HasMemory => Info.Memories.Count > 0;
}
