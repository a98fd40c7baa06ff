using System.Buffers.Binary;
using System.Text;
using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Properties;

/// <summary>
/// How Envoy hands a property value to a filter: strings and bytes raw, integers as 8-byte
/// little-endian (signed or unsigned), booleans as one byte, timestamps as int64 nanoseconds
/// since the Unix epoch, durations as int64 nanoseconds, maps as serialized header pairs.
/// </summary>
public static class PropertyEncoding
{
    public static byte[] String(string value) => Encoding.UTF8.GetBytes(value);

    public static byte[] Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    public static byte[] UInt64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return bytes;
    }

    public static byte[] Bool(bool value) => [value ? (byte)1 : (byte)0];

    public static byte[] Timestamp(DateTimeOffset value) => Int64((value - DateTimeOffset.UnixEpoch).Ticks * 100);

    public static byte[] Duration(TimeSpan value) => Int64(value.Ticks * 100);

    public static byte[] Map(IReadOnlyList<KeyValuePair<string, string>> pairs) => PairsCodec.Serialize(pairs);

    /// <summary>Splits a property path: segments are separated by NUL bytes (a trailing NUL is ignored).</summary>
    public static string[] SplitPath(ReadOnlySpan<byte> path)
    {
        var text = Encoding.UTF8.GetString(path);
        if (text.EndsWith('\0')) text = text[..^1];
        return text.Split('\0');
    }
}
