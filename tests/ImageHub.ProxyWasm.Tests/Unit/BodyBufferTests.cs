using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Hosting;

namespace ImageHub.ProxyWasm.Tests.Unit;

public class BodyBufferTests
{
    private static BodyBuffer With(string text)
    {
        var buffer = new BodyBuffer();
        buffer.Append(System.Text.Encoding.UTF8.GetBytes(text));
        return buffer;
    }

    private static string Text(BodyBuffer buffer) => System.Text.Encoding.UTF8.GetString(buffer.Span);

    [Fact]
    public void Start_zero_length_zero_prepends()
    {
        var buffer = With("world");
        Assert.Equal(WasmResult.Ok, buffer.Splice(0, 0, "hello "u8));
        Assert.Equal("hello world", Text(buffer));
    }

    [Fact]
    public void Start_zero_and_whole_length_replaces()
    {
        var buffer = With("old body");
        Assert.Equal(WasmResult.Ok, buffer.Splice(0, int.MaxValue, "new"u8));
        Assert.Equal("new", Text(buffer));
    }

    [Fact]
    public void Start_at_the_end_appends()
    {
        var buffer = With("abc");
        Assert.Equal(WasmResult.Ok, buffer.Splice(3, 0, "def"u8));
        Assert.Equal("abcdef", Text(buffer));
    }

    [Fact]
    public void A_splice_in_the_middle_is_refused_and_changes_nothing()
    {
        var buffer = With("abcdef");
        Assert.Equal(WasmResult.BadArgument, buffer.Splice(2, 2, "X"u8));
        Assert.Equal("abcdef", Text(buffer));
    }
}
