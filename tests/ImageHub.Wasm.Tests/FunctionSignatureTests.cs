namespace ImageHub.Wasm.Tests;

public class FunctionSignatureTests
{
    [Fact]
    public void Signatures_with_the_same_types_are_equal()
    {
        var a = new FunctionSignature([WasmValueType.I32, WasmValueType.I64], [WasmValueType.F32]);
        var b = new FunctionSignature([WasmValueType.I32, WasmValueType.I64], [WasmValueType.F32]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Moving_a_type_from_parameters_to_results_makes_a_different_signature()
    {
        var a = new FunctionSignature([WasmValueType.I32], []);
        var b = new FunctionSignature([], [WasmValueType.I32]);
        Assert.NotEqual(a, b);
    }
}
