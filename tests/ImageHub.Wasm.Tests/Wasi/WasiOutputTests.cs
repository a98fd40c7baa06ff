using System.Text;
using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Tests.Wasi;

public class WasiOutputTests
{
    [Fact]
    public void Lines_are_joined_across_writes_and_split_at_newlines()
    {
        var lines = new List<string>();
        var output = WasiOutput.ToLines(lines.Add);
        output.Write("first li"u8);
        output.Write("ne\r\nsecond\nthi"u8);
        Assert.Equal(["first line", "second"], lines);
        output.Flush();
        Assert.Equal(["first line", "second", "thi"], lines);
    }

    [Fact]
    public void A_line_without_end_is_handed_on_in_bounded_pieces()
    {
        var lines = new List<string>();
        var output = WasiOutput.ToLines(lines.Add, maxLineBytes: 4);
        output.Write("abcdefghij\n"u8);
        Assert.Equal(["abcd", "efgh", "ij"], lines);
    }

    [Fact]
    public void A_UTF8_character_split_between_writes_reaches_a_TextWriter_whole()
    {
        var writer = new StringWriter();
        var output = WasiOutput.ToTextWriter(writer);
        var bytes = Encoding.UTF8.GetBytes("Grüße");
        output.Write(bytes.AsSpan(0, 3));
        output.Write(bytes.AsSpan(3));
        output.Flush();
        Assert.Equal("Grüße", writer.ToString());
    }

    [Fact]
    public void Bytes_reach_a_callback_unchanged()
    {
        var received = new List<byte>();
        var output = WasiOutput.ToCallback(bytes => received.AddRange(bytes.ToArray()));
        output.Write(new byte[] { 0, 255, 10 });
        Assert.Equal(new byte[] { 0, 255, 10 }, received);
    }
}
