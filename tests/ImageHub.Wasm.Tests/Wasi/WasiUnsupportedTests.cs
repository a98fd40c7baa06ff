using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Tests.Wasi;

public class WasiUnsupportedTests
{
    private static ImportDescriptor Import(string module, string name, string? shapeOf = null) =>
        new(module, name, ExternKind.Function, WasiFunctionSignatures.Of(shapeOf ?? name));

    [Fact]
    public void Unimplemented_WASI_imports_get_ENOSYS_stubs_of_their_own_signature()
    {
        var called = new List<string>();
        var imports = new WasiHost().AddTo(new WasmImports());
        var module = new ImportsOnlyModule(
            Import(WasiModuleNames.Preview1, "fd_write"),
            Import(WasiModuleNames.Preview1, "path_filestat_get"),
            Import(WasiModuleNames.Unstable, "fd_pread"),
            Import("env", "proxy_log", shapeOf: "fd_write"));

        var stubbed = WasiUnsupported.AddStubs(imports, module, called.Add);

        Assert.Equal(["path_filestat_get", "fd_pread"], stubbed.Select(i => i.Name));
        var pread = Assert.IsType<Func<int, int, int, long, int, int>>(imports.Resolve(WasiModuleNames.Unstable, "fd_pread"));
        Assert.Equal((int)WasiErrno.NoSys, pread(3, 0, 0, 0L, 0));
        Assert.Equal(["fd_pread"], called);
        Assert.Null(imports.Resolve("env", "proxy_log"));
    }

    [Fact]
    public void A_wrong_signature_or_unknown_name_is_left_for_the_linker_to_report()
    {
        var imports = new WasmImports();
        var module = new ImportsOnlyModule(
            Import(WasiModuleNames.Preview1, "fd_sync", shapeOf: "fd_write"),
            new ImportDescriptor(WasiModuleNames.Preview1, "fd_frobnicate", ExternKind.Function,
                new FunctionSignature([WasmValueType.I32], [WasmValueType.I32])));
        Assert.Empty(WasiUnsupported.AddStubs(imports, module));
        Assert.Null(imports.Resolve(WasiModuleNames.Preview1, "fd_sync"));
    }

    [Fact]
    public void Every_WASI_function_has_a_stub_shape()
    {
        foreach (var name in WasiFunctionSignatures.Names)
        {
            var signature = WasiFunctionSignatures.Of(name)!;
            var stub = WasiUnsupported.Stub(name, signature);
            var invoke = stub.GetType().GetMethod("Invoke")!;
            Assert.Equal(signature.Parameters.Select(t => t == WasmValueType.I64 ? typeof(long) : typeof(int)),
                invoke.GetParameters().Select(p => p.ParameterType));
            Assert.Equal(signature.Results.Count == 0 ? typeof(void) : typeof(int), invoke.ReturnType);
            if (signature.Results.Count == 1)
                Assert.Equal((int)WasiErrno.NoSys, stub.DynamicInvoke(signature.Parameters.Select(t => t == WasmValueType.I64 ? (object)0L : 0).ToArray()));
        }
    }
}
