namespace ImageHub.Wasm.Tests.Engine;

/// <summary>Rejected modules say what is wrong, in which section, at which byte.</summary>
public class FormatErrorTests
{
    private static WasmFormatException Reject(byte[] bytes) =>
        Assert.Throws<WasmFormatException>(() => new WasmEngine().Compile(bytes));

    [Fact]
    public void Bytes_that_are_not_a_module_are_malformed_at_offset_zero()
    {
        var error = Reject("hello world"u8.ToArray());
        Assert.Equal(WasmFormatProblem.Malformed, error.Problem);
        Assert.Equal(0, error.Offset);
        Assert.Contains("magic header", error.Message);
    }

    [Fact]
    public void A_truncated_module_names_the_section_and_offset()
    {
        var bytes = Wat.ToWasm("(module (func (export \"f\") (result i32) (i32.const 1)))");
        var error = Reject(bytes[..^3]);
        Assert.Equal(WasmFormatProblem.Malformed, error.Problem);
        Assert.Equal("code", error.Section);
        Assert.InRange(error.Offset, 8, bytes.Length);
    }

    [Fact]
    public void An_unknown_section_id_is_malformed()
    {
        byte[] bytes = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x0d, 0x00];
        var error = Reject(bytes);
        Assert.Equal(WasmFormatProblem.Malformed, error.Problem);
        Assert.Equal(8, error.Offset);
    }

    [Fact]
    public void A_type_error_in_a_body_is_invalid_and_names_the_function_and_instruction_offset()
    {
        // (func (result i32) (i64.const 1)) written by hand: wat2wasm would refuse it.
        byte[] bytes =
        [
            0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
            0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,   // type section: () -> i32
            0x03, 0x02, 0x01, 0x00,                     // function section
            0x0a, 0x06, 0x01, 0x04, 0x00, 0x42, 0x01, 0x0b, // code: i64.const 1; end
        ];
        var error = Reject(bytes);
        Assert.Equal(WasmFormatProblem.Invalid, error.Problem);
        Assert.Equal("code (function 0)", error.Section);
        Assert.Equal(bytes.Length - 1, error.Offset);
        Assert.Contains("type mismatch", error.Reason);
    }

    [Fact]
    public void A_valid_module_of_the_same_shape_compiles()
    {
        byte[] bytes =
        [
            0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
            0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
            0x03, 0x02, 0x01, 0x00,
            0x07, 0x05, 0x01, 0x01, (byte)'f', 0x00, 0x00,
            0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x05, 0x0b,
        ];
        var instance = new WasmEngine().Compile(bytes).Instantiate(new WasmImports());
        Assert.Equal(5, instance.GetFunction<Func<int>>("f")!());
    }
}
