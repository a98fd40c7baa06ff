using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using ImageHub.Wasm.Runtime;

namespace ImageHub.Wasm.Compilation;

/// <summary>
/// The generated glue between .NET and compiled code: typed delegates for
/// exports, a boxed invoker for tools, and adapters that let compiled code call
/// host delegates. Each is generated once per (delegate type, signature) and cached.
/// </summary>
internal static class EntryPoints
{
    private static readonly FieldInfo OwnerField = typeof(FuncRef).GetField(nameof(FuncRef.Owner))!;
    private static readonly FieldInfo CodeField = typeof(FuncRef).GetField(nameof(FuncRef.Code))!;
    private static readonly FieldInfo StackLimitField = typeof(WasmInstance).GetField(nameof(WasmInstance.StackLimit))!;
    private static readonly FieldInfo StackFloorField = typeof(WasmInstance).GetField(nameof(WasmInstance.StackFloor))!;
    private static readonly MethodInfo EnterFromHost = typeof(Guard).GetMethod(nameof(Guard.EnterFromHost))!;
    private static readonly MethodInfo LeaveToHost = typeof(Guard).GetMethod(nameof(Guard.LeaveToHost))!;

    private static readonly ConcurrentDictionary<(Type, FunctionSignature), DynamicMethod> Typed = new();
    private static readonly ConcurrentDictionary<FunctionSignature, Func<FuncRef, object?[], object?[]>> Boxed = new();
    private static readonly ConcurrentDictionary<(Type, FunctionSignature), (MethodInfo Method, nint Code)> Adapters = new();

    /// <summary>Whether a .NET type can carry a WebAssembly value type across the boundary.</summary>
    public static bool Carries(Type clr, WasmValueType wasm) => wasm switch
    {
        WasmValueType.I32 => clr == typeof(int) || clr == typeof(uint),
        WasmValueType.I64 => clr == typeof(long) || clr == typeof(ulong),
        WasmValueType.F32 => clr == typeof(float),
        WasmValueType.F64 => clr == typeof(double),
        _ => !clr.IsValueType,
    };

    public static Delegate CreateDelegate(FuncRef f, Type delegateType)
    {
        var method = Typed.GetOrAdd((delegateType, f.Signature), key => BuildTyped(key.Item1, key.Item2));
        return method.CreateDelegate(delegateType, f);
    }

    private static DynamicMethod BuildTyped(Type delegateType, FunctionSignature sig)
    {
        var invoke = delegateType.GetMethod("Invoke") ?? throw new WasmLinkException($"{delegateType} is not a delegate type");
        var ps = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        bool matches = ps.Length == sig.Parameters.Count && ps.Zip(sig.Parameters).All(x => Carries(x.First, x.Second))
            && (sig.Results.Count == 0 ? invoke.ReturnType == typeof(void) : sig.Results.Count == 1 && Carries(invoke.ReturnType, sig.Results[0]));
        if (!matches) throw new WasmLinkException($"delegate {delegateType.Name} does not match the export's signature {sig}");

        var dm = new DynamicMethod("export" + sig, invoke.ReturnType, [typeof(FuncRef), .. ps], typeof(FuncRef).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        var saved = SaveStackLimits(il);
        var result = invoke.ReturnType == typeof(void) ? null : il.DeclareLocal(invoke.ReturnType);
        il.BeginExceptionBlock();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, OwnerField);
        il.Emit(OpCodes.Call, EnterFromHost);
        for (int i = 0; i < ps.Length; i++) il.Emit(OpCodes.Ldarg, i + 1);
        EmitCalli(il, sig);
        if (result is not null) il.Emit(OpCodes.Stloc, result);
        RestoreStackLimits(il, saved);
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
        return dm;
    }

    public static object?[] Invoke(FuncRef f, object?[] arguments)
    {
        var sig = f.Signature;
        if (arguments.Length != sig.Parameters.Count)
            throw new ArgumentException($"{f.Name} takes {sig.Parameters.Count} arguments, got {arguments.Length}");
        var converted = new object?[arguments.Length];
        for (int i = 0; i < arguments.Length; i++) converted[i] = Convert(arguments[i], sig.Parameters[i]);
        return Boxed.GetOrAdd(sig, BuildBoxed)(f, converted);
    }

    private static object? Convert(object? value, WasmValueType type) => type switch
    {
        WasmValueType.I32 => value is uint u ? unchecked((int)u) : System.Convert.ToInt32(value),
        WasmValueType.I64 => value is ulong u ? unchecked((long)u) : System.Convert.ToInt64(value),
        WasmValueType.F32 => value is float f ? f : System.Convert.ToSingle(value),
        WasmValueType.F64 => value is double d ? d : System.Convert.ToDouble(value),
        WasmValueType.FuncRef when value is not null and not FuncRef => throw new ArgumentException("a funcref argument must be a function or null"),
        _ => value,
    };

    private static Func<FuncRef, object?[], object?[]> BuildBoxed(FunctionSignature sig)
    {
        var dm = new DynamicMethod("invoke" + sig, typeof(object?[]), [typeof(FuncRef), typeof(object?[])], typeof(FuncRef).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        var saved = SaveStackLimits(il);
        var results = sig.Results.Select(t => il.DeclareLocal(ClrTypes.Of(t))).ToArray();
        il.BeginExceptionBlock();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, OwnerField);
        il.Emit(OpCodes.Call, EnterFromHost);
        for (int i = 0; i < sig.Parameters.Count; i++)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelem_Ref);
            var t = ClrTypes.Of(sig.Parameters[i]);
            if (t.IsValueType) il.Emit(OpCodes.Unbox_Any, t);
        }
        EmitCalli(il, sig, results);
        if (results.Length > 0) il.Emit(OpCodes.Stloc, results[0]);
        RestoreStackLimits(il, saved);
        il.Emit(OpCodes.Ldc_I4, results.Length);
        il.Emit(OpCodes.Newarr, typeof(object));
        for (int i = 0; i < results.Length; i++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldloc, results[i]);
            if (results[i].LocalType.IsValueType) il.Emit(OpCodes.Box, results[i].LocalType);
            il.Emit(OpCodes.Stelem_Ref);
        }
        il.Emit(OpCodes.Ret);
        return dm.CreateDelegate<Func<FuncRef, object?[], object?[]>>();
    }

    /// <summary>Arguments are on the stack; calls arg 0 (a FuncRef). Extra results go to <paramref name="results"/>[1..].</summary>
    private static void EmitCalli(ILGenerator il, FunctionSignature sig, LocalBuilder[]? results = null)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, OwnerField);
        for (int k = 1; k < sig.Results.Count; k++) il.Emit(OpCodes.Ldloca, results![k]);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, CodeField);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, ClrTypes.ReturnType(sig), ClrTypes.ParameterTypes(sig), null);
    }

    // Every entry from .NET sets the owner's stack limits for the calling thread and puts back the
    // ones of the entry it is nested in (a host function that calls back into wasm), also after a trap.
    private static (LocalBuilder Limit, LocalBuilder Floor) SaveStackLimits(ILGenerator il)
    {
        var saved = (il.DeclareLocal(typeof(nuint)), il.DeclareLocal(typeof(nuint)));
        foreach (var (local, field) in new[] { (saved.Item1, StackLimitField), (saved.Item2, StackFloorField) })
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, OwnerField);
            il.Emit(OpCodes.Ldfld, field);
            il.Emit(OpCodes.Stloc, local);
        }
        return saved;
    }

    private static void RestoreStackLimits(ILGenerator il, (LocalBuilder Limit, LocalBuilder Floor) saved)
    {
        il.BeginFinallyBlock();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, OwnerField);
        il.Emit(OpCodes.Ldloc, saved.Limit);
        il.Emit(OpCodes.Ldloc, saved.Floor);
        il.Emit(OpCodes.Call, LeaveToHost);
        il.EndExceptionBlock();
    }

    /// <summary>
    /// Compiled code that calls a host delegate stored in its owner's
    /// <see cref="WasmInstance.HostDelegates"/>[0]. Returns null when the
    /// delegate cannot carry the signature.
    /// </summary>
    public static nint? HostAdapter(Type delegateType, FunctionSignature sig)
    {
        if (!AdapterFits(delegateType, sig)) return null;
        return Adapters.GetOrAdd((delegateType, sig), key => BuildAdapter(key.Item1, key.Item2)).Code;
    }

    private static bool AdapterFits(Type delegateType, FunctionSignature sig)
    {
        var invoke = delegateType.GetMethod("Invoke");
        if (invoke is null || sig.Results.Count > 1) return false;
        var ps = invoke.GetParameters().Select(p => p.ParameterType).ToList();
        if (ps.Count > 0 && ps[0] == typeof(WasmCaller)) ps.RemoveAt(0);
        return ps.Count == sig.Parameters.Count && ps.Zip(sig.Parameters).All(x => Carries(x.First, x.Second))
            && (sig.Results.Count == 0 ? invoke.ReturnType == typeof(void) : Carries(invoke.ReturnType, sig.Results[0]));
    }

    private static int _adapterCount;

    private static (MethodInfo, nint) BuildAdapter(Type delegateType, FunctionSignature sig)
    {
        var invoke = delegateType.GetMethod("Invoke")!;
        var ps = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        bool wantsCaller = ps.Length > 0 && ps[0] == typeof(WasmCaller);
        var name = "host" + Interlocked.Increment(ref _adapterCount);
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(name), AssemblyBuilderAccess.Run);
        var type = assembly.DefineDynamicModule(name).DefineType("HostAdapter", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var method = type.DefineMethod("Call", MethodAttributes.Public | MethodAttributes.Static, ClrTypes.ReturnType(sig), ClrTypes.ParameterTypes(sig));
        var il = method.GetILGenerator();
        int owner = sig.Parameters.Count;
        var result = sig.Results.Count == 1 ? il.DeclareLocal(ClrTypes.Of(sig.Results[0])) : null;
        var failure = il.DeclareLocal(typeof(Exception));
        il.BeginExceptionBlock();
        il.Emit(OpCodes.Ldarg, owner);
        il.Emit(OpCodes.Ldfld, typeof(WasmInstance).GetField(nameof(WasmInstance.HostDelegates))!);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ldelem_Ref);
        il.Emit(OpCodes.Castclass, delegateType);
        if (wantsCaller)
        {
            il.Emit(OpCodes.Ldarg, owner);
            il.Emit(OpCodes.Ldfld, typeof(WasmInstance).GetField(nameof(WasmInstance.HostCaller))!);
            il.Emit(OpCodes.Newobj, typeof(WasmCaller).GetConstructor([typeof(IWasmInstance)])!);
        }
        for (int i = 0; i < sig.Parameters.Count; i++)
        {
            il.Emit(OpCodes.Ldarg, i);
            var target = ps[i + (wantsCaller ? 1 : 0)];
            if (!target.IsValueType && target != typeof(object)) il.Emit(OpCodes.Castclass, target);
        }
        il.Emit(OpCodes.Callvirt, invoke);
        if (result is not null) il.Emit(OpCodes.Stloc, result);
        // A trap passes through untouched (the filter declines it): catching and throwing it again
        // in every host frame would nest one exception dispatch per level of recursion through the
        // host and could overflow the .NET stack while unwinding.
        il.BeginExceptFilterBlock();
        il.Emit(OpCodes.Isinst, typeof(WasmTrapException));
        il.Emit(OpCodes.Ldnull);
        il.Emit(OpCodes.Ceq);
        il.BeginCatchBlock(null);
        il.Emit(OpCodes.Stloc, failure);
        il.Emit(OpCodes.Ldloc, failure);
        il.Emit(OpCodes.Ldarg, owner);
        il.Emit(OpCodes.Ldfld, typeof(WasmInstance).GetField(nameof(WasmInstance.HostName))!);
        il.Emit(OpCodes.Call, typeof(Traps).GetMethod(nameof(Traps.FromHost))!);
        il.Emit(OpCodes.Throw);
        il.EndExceptionBlock();
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
        var created = type.CreateType().GetMethod("Call")!;
        return (created, created.MethodHandle.GetFunctionPointer());
    }
}
