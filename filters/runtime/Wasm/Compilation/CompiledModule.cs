using System.Reflection;
using System.Reflection.Emit;
using ImageHub.Wasm.Decoding;
using ImageHub.Wasm.Runtime;

namespace ImageHub.Wasm.Compilation;

/// <summary>
/// A decoded, validated module whose functions are static methods of one type in
/// a collectible assembly. Instances share that code; their state is a <see cref="WasmInstance"/>.
/// </summary>
internal sealed class CompiledModule : IWasmModule
{
    private static int _moduleCount;
    private readonly ModuleInfo _info;
    private readonly nint[] _code; // by function index; 0 for imports
    private readonly byte[][] _data;
    private readonly Type? _type; // keeps the collectible assembly alive while the module is

    public IReadOnlyList<ImportDescriptor> Imports { get; }
    public IReadOnlyList<ExportDescriptor> Exports { get; }

    public CompiledModule(ReadOnlyMemory<byte> bytes)
    {
        _info = ModuleDecoder.Decode(bytes);
        try { _type = Build(out _code); }
        catch (WasmFormatException e) when (e.Problem == WasmFormatProblem.Invalid)
        {
            throw BodyScanner.FindMalformation(_info) ?? e;
        }
        _data = _info.Data.Select(d => d.Bytes.ToArray()).ToArray();
        Imports = _info.Imports.Select(i => new ImportDescriptor(i.Module, i.Name, i.Kind, i.Kind == ExternKind.Function ? _info.Types[i.TypeIndex] : null)).ToList();
        Exports = _info.Exports.Select(e => new ExportDescriptor(e.Name, e.Kind, e.Kind == ExternKind.Function ? _info.FunctionSignature(e.Index) : null)).ToList();
    }

    private Type? Build(out nint[] code)
    {
        var references = ModuleValidator.Validate(_info);
        code = new nint[_info.FunctionTypes.Count];
        if (_info.Bodies.Count == 0) return null;

        string name = "wasm" + Interlocked.Increment(ref _moduleCount);
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(name), AssemblyBuilderAccess.RunAndCollect);
        var moduleBuilder = assembly.DefineDynamicModule(name);
        var type = moduleBuilder.DefineType("Module", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var methods = new MethodBuilder?[_info.FunctionTypes.Count];
        for (int f = _info.ImportedFunctionCount; f < methods.Length; f++)
        {
            var sig = _info.FunctionSignature(f);
            methods[f] = type.DefineMethod("f" + f, MethodAttributes.Public | MethodAttributes.Static, ClrTypes.ReturnType(sig), ClrTypes.ParameterTypes(sig));
            methods[f]!.SetImplementationFlags(MethodImplAttributes.AggressiveOptimization);
        }
        var context = new ModuleContext(_info, moduleBuilder, methods, references);
        for (int f = _info.ImportedFunctionCount; f < methods.Length; f++)
        {
            try
            {
                var compiler = new FunctionCompiler(context, f, methods[f]!.GetILGenerator());
                compiler.Compile();
                // Small leaves (AssemblyScript's __retain, getters) are worth inlining into their callers:
                // a .NET call saves and restores registers, and the caller reloads its memory cache after it.
                if (compiler.IsStraightLeaf)
                    methods[f]!.SetImplementationFlags(MethodImplAttributes.AggressiveOptimization | MethodImplAttributes.AggressiveInlining);
            }
            catch (WasmFormatException) { throw; }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new WasmFormatException(WasmFormatProblem.Invalid, $"code (function {f})", _info.Bodies[f - _info.ImportedFunctionCount].CodeStart, $"cannot compile: {e.Message}");
            }
        }
        var created = type.CreateType();
        var byName = created.GetMethods(BindingFlags.Public | BindingFlags.Static).ToDictionary(m => m.Name);
        for (int f = _info.ImportedFunctionCount; f < methods.Length; f++)
            code[f] = byName["f" + f].MethodHandle.GetFunctionPointer();
        return created;
    }

    public IWasmInstance Instantiate(WasmImports imports, InstanceLimits? limits = null) => new Instantiation(this, _info, imports, limits ?? new InstanceLimits()).Run();

    internal nint Code(int function) => _code[function];

    /// <summary>Per function: its first export name (or "function N") and its signature's id.</summary>
    internal string[] FunctionNames => _names ??= BuildNames();
    internal int[] TypeIds => _typeIds ??= _info.Types.Select(SignatureIds.Of).ToArray();
    private string[]? _names;
    private int[]? _typeIds;

    private string[] BuildNames()
    {
        var names = new string[_info.FunctionTypes.Count];
        foreach (var e in _info.Exports)
            if (e.Kind == ExternKind.Function) names[e.Index] ??= e.Name;
        for (int f = 0; f < names.Length; f++) names[f] ??= $"function {f}";
        return names;
    }
    internal byte[][] DataBytes => _data;
}
