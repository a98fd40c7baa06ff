using System.Buffers.Binary;
using System.Text;
using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Tests.Unit;

public class PairsCodecTests
{
    [Fact]
    public void Serializes_count_then_lengths_then_nul_terminated_names_and_values()
    {
        var bytes = PairsCodec.Serialize([new(":path", "/a"), new("x", "")]);

        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(":path\0/a\0x\0\0", Encoding.UTF8.GetString(bytes.AsSpan(20)));
        Assert.Equal(PairsCodec.Size([new(":path", "/a"), new("x", "")]), bytes.Length);
    }

    [Fact]
    public void Reads_back_what_it_wrote_including_utf8()
    {
        List<KeyValuePair<string, string>> pairs = [new("a", "1"), new("b", "zwölf"), new("a", "3")];
        Assert.Equal(pairs, PairsCodec.TryRead(PairsCodec.Serialize(pairs)));
    }

    [Fact]
    public void Empty_input_is_an_empty_map()
    {
        Assert.Empty(PairsCodec.TryRead([])!);
    }

    [Theory]
    [InlineData("count larger than the data")]
    [InlineData("missing nul")]
    [InlineData("trailing bytes")]
    [InlineData("too short")]
    public void Malformed_input_is_refused(string problem)
    {
        var good = PairsCodec.Serialize([new("k", "v")]);
        byte[] bad = problem switch
        {
            "count larger than the data" => Patch(good, 0, 5),
            "missing nul" => good.Select((b, i) => i == good.Length - 1 ? (byte)'x' : b).ToArray(),
            "trailing bytes" => [.. good, 0],
            _ => [1, 0],
        };
        Assert.Null(PairsCodec.TryRead(bad));
    }

    private static byte[] Patch(byte[] bytes, int offset, uint value)
    {
        var copy = bytes.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
