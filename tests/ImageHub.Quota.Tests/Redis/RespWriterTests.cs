using System.Text;
using ImageHub.Quota.Redis;

namespace ImageHub.Quota.Tests.Redis;

public sealed class RespWriterTests
{
    [Fact]
    public void Encodes_a_command_as_an_array_of_bulk_strings()
    {
        Assert.Equal("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$0\r\n\r\n", Encoding.UTF8.GetString(RespWriter.Encode(["SET", "key", ""])));
    }

    [Fact]
    public void Lengths_are_in_utf8_bytes_and_long_arguments_get_multi_digit_lengths()
    {
        var text = Encoding.UTF8.GetString(RespWriter.Encode(["ECHO", "ü", new string('x', 1000)]));
        Assert.Equal("*3\r\n$4\r\nECHO\r\n$2\r\nü\r\n$1000\r\n" + new string('x', 1000) + "\r\n", text);
    }

    [Fact]
    public void What_the_writer_encodes_the_parser_reads_back()
    {
        string[] command = ["EVALSHA", "abc", "2", "k1", "k2", "x\r\ny", "10"];
        Assert.True(RespParser.TryParse(RespWriter.Encode(command), out var reply, out _));
        Assert.Equal(command, reply!.Items!.Select(i => i.AsString()));
    }

    [Fact]
    public void An_empty_command_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RespWriter.Encode([]));
    }
}
