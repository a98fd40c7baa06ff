namespace ImageHub.Wasm.Tests.Engine;

public class ExportTests
{
    private const string Counter = """
        (module
          (global $count (export "count") (mut i32) (i32.const 0))
          (memory (export "memory") 1)
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "bump") (result i32)
            (global.set $count (i32.add (global.get $count) (i32.const 1)))
            (i32.store (i32.const 0) (global.get $count))
            (global.get $count))
          (func (export "pair") (param i64) (result i64 f64) (local.get 0) (f64.convert_i64_s (local.get 0))))
        """;

    [Fact]
    public void Exports_come_back_as_typed_delegates()
    {
        var instance = Wat.Instantiate(Counter);
        Assert.Equal(5, instance.GetFunction<Func<int, int, int>>("add")!(2, 3));
        Assert.Equal(int.MinValue, instance.GetFunction<Func<int, int, int>>("add")!(int.MaxValue, 1));
        Assert.Equal(5u, instance.GetFunction<Func<uint, uint, uint>>("add")!(2, 3));
    }

    [Fact]
    public void A_delegate_that_does_not_match_the_signature_is_refused_and_a_missing_export_is_null()
    {
        var instance = Wat.Instantiate(Counter);
        Assert.Throws<WasmLinkException>(() => instance.GetFunction<Func<long, long, long>>("add"));
        Assert.Throws<WasmLinkException>(() => instance.GetFunction<Func<int, int>>("add"));
        Assert.Null(instance.GetFunction<Action>("nope"));
        Assert.Null(instance.GetFunction("nope"));
    }

    [Fact]
    public void Multiple_results_come_back_from_the_boxed_entry_point()
    {
        var pair = Wat.Instantiate(Counter).GetFunction("pair")!;
        Assert.Equal([(object)7L, 7.0], pair.Invoke(7L));
    }

    [Fact]
    public void Instances_of_one_compiled_module_share_code_but_not_state()
    {
        var module = Wat.Compile(Counter);
        var first = module.Instantiate(new WasmImports());
        var second = module.Instantiate(new WasmImports());
        var bumpFirst = first.GetFunction<Func<int>>("bump")!;
        bumpFirst();
        bumpFirst();
        Assert.Equal(1, second.GetFunction<Func<int>>("bump")!());
        Assert.Equal(2, first.GetGlobal("count")!.Value);
        Assert.Equal(1, second.GetGlobal("count")!.Value);
        Assert.Equal(2u, first.GetMemory()!.ReadUInt32(0));
        Assert.Equal(1u, second.GetMemory()!.ReadUInt32(0));
        Assert.Same(first.Module, second.Module);
    }

    [Fact]
    public void A_host_can_set_a_mutable_global_that_the_module_then_reads()
    {
        var instance = Wat.Instantiate(Counter);
        instance.GetGlobal("count")!.Value = 41;
        Assert.Equal(42, instance.GetFunction<Func<int>>("bump")!());
    }
}
