using System.Text;
using ImageHub.Quota.Redis;

namespace ImageHub.Quota.Tests.Redis;

public sealed class RespParserTests
{
    private static RedisReply ParseWhole(string resp)
    {
        var bytes = Encoding.UTF8.GetBytes(resp);
        Assert.True(RespParser.TryParse(bytes, out var reply, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        return reply!;
    }

    [Theory]
    [InlineData("+OK\r\n", RedisReplyKind.SimpleString, "OK")]
    [InlineData("+\r\n", RedisReplyKind.SimpleString, "")]
    [InlineData("-ERR unknown command 'FOO'\r\n", RedisReplyKind.Error, "ERR unknown command 'FOO'")]
    [InlineData(":0\r\n", RedisReplyKind.Integer, "0")]
    [InlineData(":-42\r\n", RedisReplyKind.Integer, "-42")]
    [InlineData(":9223372036854775807\r\n", RedisReplyKind.Integer, "9223372036854775807")]
    [InlineData("$5\r\nhello\r\n", RedisReplyKind.BulkString, "hello")]
    [InlineData("$0\r\n\r\n", RedisReplyKind.BulkString, "")]
    [InlineData("$4\r\na\r\nb\r\n", RedisReplyKind.BulkString, "a\r\nb")]
    [InlineData("$6\r\nhéllo\r\n", RedisReplyKind.BulkString, "héllo")]
    public void Parses_each_scalar_reply_type(string resp, RedisReplyKind kind, string value)
    {
        var reply = ParseWhole(resp);
        Assert.Equal(kind, reply.Kind);
        Assert.False(reply.IsNull);
        Assert.Equal(value, reply.AsString());
    }

    [Fact]
    public void Parses_null_bulk_strings_and_null_arrays()
    {
        var bulk = ParseWhole("$-1\r\n");
        Assert.True(bulk.IsNull);
        Assert.Equal(RedisReplyKind.BulkString, bulk.Kind);
        Assert.Null(bulk.AsString());

        var array = ParseWhole("*-1\r\n");
        Assert.True(array.IsNull);
        Assert.Equal(RedisReplyKind.Array, array.Kind);
        Assert.Null(array.Items);
    }

    [Fact]
    public void Parses_empty_mixed_and_nested_arrays()
    {
        Assert.Empty(ParseWhole("*0\r\n").Items!);

        var reply = ParseWhole("*5\r\n:1\r\n$3\r\nfoo\r\n$-1\r\n*2\r\n+a\r\n*1\r\n-ERR inner\r\n*-1\r\n");
        Assert.Equal("[:1, \"foo\", (nil), [\"a\", [-ERR inner]], (nil array)]", reply.ToString());
        Assert.Equal(RedisReplyKind.Error, reply.Items![3].Items![1].Items![0].Kind);
    }

    [Fact]
    public void Binary_bulk_strings_keep_their_bytes()
    {
        var bytes = new byte[] { (byte)'$', (byte)'3', 13, 10, 0, 255, 13, 13, 10 };
        Assert.True(RespParser.TryParse(bytes, out var reply, out _));
        Assert.Equal(new byte[] { 0, 255, 13 }, reply!.Bytes);
    }

    [Theory]
    [InlineData("+OK\r\n")]
    [InlineData("$5\r\nhello\r\n")]
    [InlineData("*3\r\n:1\r\n$3\r\nfoo\r\n*2\r\n$-1\r\n+x\r\n")]
    [InlineData("-NOSCRIPT No matching script\r\n")]
    public void Every_proper_prefix_is_incomplete_and_consumes_nothing(string resp)
    {
        var bytes = Encoding.UTF8.GetBytes(resp);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(RespParser.TryParse(bytes.AsSpan(0, length), out _, out var consumed), $"prefix of {length} bytes");
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void Fed_one_byte_at_a_time_a_stream_of_replies_comes_out_whole_and_in_order()
    {
        var stream = Encoding.UTF8.GetBytes("+OK\r\n:7\r\n$-1\r\n*2\r\n$2\r\nab\r\n*0\r\n$3\r\nxyz\r\n");
        var accumulated = new List<byte>();
        var replies = new List<string>();
        foreach (var b in stream)
        {
            accumulated.Add(b);
            while (RespParser.TryParse(accumulated.ToArray(), out var reply, out var consumed))
            {
                replies.Add(reply!.ToString());
                accumulated.RemoveRange(0, consumed);
            }
        }
        Assert.Equal(["\"OK\"", ":7", "(nil)", "[\"ab\", []]", "\"xyz\""], replies);
        Assert.Empty(accumulated);
    }

    [Fact]
    public void Two_replies_in_one_buffer_are_parsed_one_at_a_time()
    {
        var bytes = Encoding.UTF8.GetBytes(":1\r\n:2\r\n");
        Assert.True(RespParser.TryParse(bytes, out var first, out var consumed));
        Assert.Equal(1, first!.Integer);
        Assert.Equal(4, consumed);
        Assert.True(RespParser.TryParse(bytes.AsSpan(consumed), out var second, out _));
        Assert.Equal(2, second!.Integer);
    }

    [Theory]
    [InlineData("!oops\r\n", "Unknown reply type byte 0x21")]
    [InlineData(":12x\r\n", "Invalid integer '12x'")]
    [InlineData(":\r\n", "Invalid integer ''")]
    [InlineData("$abc\r\n", "Invalid bulk length")]
    [InlineData("$-2\r\n", "out of range")]
    [InlineData("*-5\r\n", "out of range")]
    [InlineData("$3\r\nabcd\r\n", "not followed by CRLF")]
    [InlineData("+OK\n", "LF without CR")]
    [InlineData("\r\n", "Empty reply line")]
    public void Malformed_input_is_a_protocol_error(string resp, string message)
    {
        var error = Assert.Throws<RedisProtocolException>(() => RespParser.TryParse(Encoding.UTF8.GetBytes(resp), out _, out _));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Arrays_nested_too_deep_are_a_protocol_error()
    {
        var resp = string.Concat(Enumerable.Repeat("*1\r\n", RespParser.MaxDepth + 2)) + ":1\r\n";
        Assert.Throws<RedisProtocolException>(() => RespParser.TryParse(Encoding.ASCII.GetBytes(resp), out _, out _));
    }
}
