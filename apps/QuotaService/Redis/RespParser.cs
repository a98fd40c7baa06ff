using System.Buffers.Text;
using System.Text;

namespace ImageHub.Quota.Redis;

/// <summary>
/// Parses RESP2 replies from a buffer that may hold only part of one. Stateless: when the buffer
/// ends early it says so (returns false) and the caller retries once more bytes have arrived.
/// Malformed input throws <see cref="RedisProtocolException"/>.
/// </summary>
public static class RespParser
{
    public const int MaxBulkLength = 512 * 1024 * 1024;
    public const int MaxArrayLength = 1024 * 1024;
    public const int MaxDepth = 32;
    private const int MaxLineLength = 64 * 1024;

    /// <summary>Parses one reply from the start of <paramref name="buffer"/>.</summary>
    /// <returns>false when the buffer does not yet hold a whole reply.</returns>
    public static bool TryParse(ReadOnlySpan<byte> buffer, out RedisReply? reply, out int consumed)
    {
        var position = 0;
        if (TryParseAt(buffer, ref position, 0, out reply))
        {
            consumed = position;
            return true;
        }
        consumed = 0;
        return false;
    }

    private static bool TryParseAt(ReadOnlySpan<byte> buffer, ref int position, int depth, out RedisReply? reply)
    {
        reply = null;
        if (depth > MaxDepth) throw new RedisProtocolException($"Arrays nested deeper than {MaxDepth} levels.");
        var start = position;
        if (!TryReadLine(buffer, ref position, out var line)) return false;
        if (line.Length == 0) throw new RedisProtocolException($"Empty reply line at offset {start}.");

        var type = line[0];
        var rest = line[1..];
        switch (type)
        {
            case (byte)'+':
                reply = RedisReply.Simple(Encoding.UTF8.GetString(rest));
                return true;
            case (byte)'-':
                reply = RedisReply.Error(Encoding.UTF8.GetString(rest));
                return true;
            case (byte)':':
                reply = RedisReply.FromInteger(ParseInteger(rest, "integer"));
                return true;
            case (byte)'$':
            {
                var length = ParseInteger(rest, "bulk length");
                if (length == -1) { reply = RedisReply.NullBulkString; return true; }
                if (length < -1 || length > MaxBulkLength) throw new RedisProtocolException($"Bulk string length {length} is out of range.");
                if (buffer.Length - position < length + 2) return false;
                var data = buffer.Slice(position, (int)length);
                if (buffer[position + (int)length] != '\r' || buffer[position + (int)length + 1] != '\n')
                    throw new RedisProtocolException($"Bulk string of {length} bytes at offset {start} is not followed by CRLF.");
                position += (int)length + 2;
                reply = RedisReply.Bulk(data.ToArray());
                return true;
            }
            case (byte)'*':
            {
                var count = ParseInteger(rest, "array length");
                if (count == -1) { reply = RedisReply.NullArray; return true; }
                if (count < -1 || count > MaxArrayLength) throw new RedisProtocolException($"Array length {count} is out of range.");
                var items = new RedisReply[count];
                for (var i = 0; i < count; i++)
                    if (!TryParseAt(buffer, ref position, depth + 1, out items[i]!)) return false;
                reply = RedisReply.Array(items);
                return true;
            }
            default:
                throw new RedisProtocolException($"Unknown reply type byte 0x{type:x2} ('{(char)type}') at offset {start}.");
        }
    }

    /// <summary>Reads up to CRLF; the line excludes it.</summary>
    private static bool TryReadLine(ReadOnlySpan<byte> buffer, ref int position, out ReadOnlySpan<byte> line)
    {
        line = default;
        var remaining = buffer[position..];
        var newline = remaining.IndexOf((byte)'\n');
        if (newline < 0)
        {
            if (remaining.Length > MaxLineLength) throw new RedisProtocolException($"Reply line longer than {MaxLineLength} bytes.");
            return false;
        }
        if (newline == 0 || remaining[newline - 1] != '\r')
            throw new RedisProtocolException($"Line at offset {position} ends in LF without CR.");
        line = remaining[..(newline - 1)];
        position += newline + 1;
        return true;
    }

    private static long ParseInteger(ReadOnlySpan<byte> digits, string what)
    {
        if (!Utf8Parser.TryParse(digits, out long value, out var used) || used != digits.Length)
            throw new RedisProtocolException($"Invalid {what} '{Encoding.ASCII.GetString(digits)}'.");
        return value;
    }
}
