namespace ImageHub.Wasm.Tests.Engine;

public class HostFunctionTests
{
    private const string Caller = """
        (module
          (import "host" "work" (func $work (param i32) (result i32)))
          (import "host" "log" (func $log (param i32 i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "hello, host")
          (func (export "call") (param i32) (result i32) (call $work (local.get 0)))
          (func (export "greet") (call $log (i32.const 16) (i32.const 11))))
        """;

    private static WasmImports Imports(Func<int, int> work, Action<WasmCaller, int, int>? log = null) => new WasmImports()
        .Function("host", "work", work)
        .Function("host", "log", log ?? ((_, _, _) => { }));

    [Fact]
    public void Host_functions_are_typed_delegates_and_see_the_callers_memory()
    {
        string? logged = null;
        var instance = Wat.Instantiate(Caller, Imports(x => x * 3, (caller, ptr, len) => logged = caller.Memory.ReadUtf8((uint)ptr, (uint)len)));
        Assert.Equal(21, instance.GetFunction<Func<int, int>>("call")!(7));
        instance.GetFunction<Action>("greet")!();
        Assert.Equal("hello, host", logged);
    }

    [Fact]
    public void An_exception_from_a_host_function_becomes_a_host_function_failed_trap()
    {
        var instance = Wat.Instantiate(Caller, Imports(_ => throw new InvalidOperationException("boom")));
        var trap = Assert.Throws<WasmTrapException>(() => instance.GetFunction<Func<int, int>>("call")!(1));
        Assert.Equal(TrapKind.HostFunctionFailed, trap.Kind);
        Assert.IsType<InvalidOperationException>(trap.InnerException);
    }

    private sealed class ExitException(int code) : WasmTrapException(TrapKind.Unreachable, $"exit {code}")
    {
        public int Code { get; } = code;
    }

    [Fact]
    public void A_trap_thrown_by_a_host_function_passes_through_unchanged()
    {
        var instance = Wat.Instantiate(Caller, Imports(code => throw new ExitException(code)));
        var exit = Assert.Throws<ExitException>(() => instance.GetFunction<Func<int, int>>("call")!(42));
        Assert.Equal(42, exit.Code);
    }

    [Fact]
    public void Missing_and_mistyped_imports_are_all_listed_in_the_link_error()
    {
        var module = Wat.Compile(Caller);
        var imports = new WasmImports().Function("host", "work", new Func<long, long>(x => x));
        var error = Assert.Throws<WasmLinkException>(() => module.Instantiate(imports));
        Assert.Equal(["work", "log"], error.Unresolved.Select(u => u.Name));
        Assert.Contains("incompatible import type for host.work", error.Message);
        Assert.Contains("unknown import host.log", error.Message);
    }

    [Fact]
    public void Import_and_export_descriptors_carry_signatures()
    {
        var module = Wat.Compile(Caller);
        var work = Assert.Single(module.Imports, i => i.Name == "work");
        Assert.Equal(new FunctionSignature([WasmValueType.I32], [WasmValueType.I32]), work.Signature);
        Assert.Contains(module.Exports, e => e.Name == "memory" && e.Kind == ExternKind.Memory);
    }
}
