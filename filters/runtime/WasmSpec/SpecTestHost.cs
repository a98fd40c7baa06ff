namespace ImageHub.Wasm.SpecRunner;

/// <summary>The <c>spectest</c> module every specification script may import from.</summary>
internal static class SpecTestHost
{
    private static readonly IWasmGlobal GlobalI32 = WasmEngine.CreateGlobal(WasmValueType.I32, false, 666);
    private static readonly IWasmGlobal GlobalI64 = WasmEngine.CreateGlobal(WasmValueType.I64, false, 666L);
    private static readonly IWasmGlobal GlobalF32 = WasmEngine.CreateGlobal(WasmValueType.F32, false, 666.6f);
    private static readonly IWasmGlobal GlobalF64 = WasmEngine.CreateGlobal(WasmValueType.F64, false, 666.6);

    /// <summary>Fresh imports: spectest plus the instances registered so far. Table and memory are shared per script.</summary>
    public static WasmImports Create(IWasmTable table, IWasmMemory memory, IReadOnlyDictionary<string, IWasmInstance> registered)
    {
        var imports = new WasmImports()
            .Function("spectest", "print", new Action(() => { }))
            .Function("spectest", "print_i32", new Action<int>(_ => { }))
            .Function("spectest", "print_i64", new Action<long>(_ => { }))
            .Function("spectest", "print_f32", new Action<float>(_ => { }))
            .Function("spectest", "print_f64", new Action<double>(_ => { }))
            .Function("spectest", "print_i32_f32", new Action<int, float>((_, _) => { }))
            .Function("spectest", "print_f64_f64", new Action<double, double>((_, _) => { }))
            .Global("spectest", "global_i32", GlobalI32)
            .Global("spectest", "global_i64", GlobalI64)
            .Global("spectest", "global_f32", GlobalF32)
            .Global("spectest", "global_f64", GlobalF64)
            .Table("spectest", "table", table)
            .Memory("spectest", "memory", memory);
        foreach (var (name, instance) in registered) imports.Instance(name, instance);
        return imports;
    }
}
