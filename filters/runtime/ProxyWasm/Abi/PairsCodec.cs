using System.Buffers.Binary;
using System.Text;

namespace ImageHub.ProxyWasm.Abi;

/// <summary>
/// The ABI's serialization of header pairs: a little-endian u32 count, then a (u32 name
/// length, u32 value length) per pair, then each name and value followed by a NUL byte.
/// </summary>
public static class PairsCodec
{
    /// <summary>The largest serialized map accepted from a guest (as proxy-wasm-cpp-host).</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The largest pair count accepted from a guest.</summary>
    public const int MaxPairs = 1 << 10;

    public static int Size(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        var size = 4;
        foreach (var pair in pairs)
            size += 8 + Encoding.UTF8.GetByteCount(pair.Key) + 1 + Encoding.UTF8.GetByteCount(pair.Value) + 1;
        return size;
    }

    public static byte[] Serialize(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        var buffer = new byte[Size(pairs)];
        Write(pairs, buffer);
        return buffer;
    }

    /// <summary>Writes exactly <see cref="Size"/> bytes into <paramref name="destination"/>.</summary>
    public static void Write(IReadOnlyList<KeyValuePair<string, string>> pairs, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)pairs.Count);
        var lengths = destination[4..];
        var data = destination[(4 + 8 * pairs.Count)..];
        for (var i = 0; i < pairs.Count; i++)
        {
            var name = Encoding.UTF8.GetBytes(pairs[i].Key, data);
            data[name] = 0;
            data = data[(name + 1)..];
            var value = Encoding.UTF8.GetBytes(pairs[i].Value, data);
            data[value] = 0;
            data = data[(value + 1)..];
            BinaryPrimitives.WriteUInt32LittleEndian(lengths[(8 * i)..], (uint)name);
            BinaryPrimitives.WriteUInt32LittleEndian(lengths[(8 * i + 4)..], (uint)value);
        }
    }

    /// <summary>
    /// Reads a serialized map. Returns null when the bytes are not a well-formed map
    /// (wrong count, missing NUL, trailing bytes, over the limits); an empty input is an empty map.
    /// </summary>
    public static List<KeyValuePair<string, string>>? TryRead(ReadOnlySpan<byte> source)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (source.IsEmpty) return result;
        if (source.Length > MaxBytes || source.Length < 4) return null;
        var count = BinaryPrimitives.ReadUInt32LittleEndian(source);
        if (count > MaxPairs || 4 + 8L * count > source.Length) return null;
        var position = 4 + 8 * (int)count;
        for (var i = 0; i < count; i++)
        {
            var nameLength = BinaryPrimitives.ReadUInt32LittleEndian(source[(4 + 8 * i)..]);
            var valueLength = BinaryPrimitives.ReadUInt32LittleEndian(source[(8 + 8 * i)..]);
            if (!TryTake(source, ref position, nameLength, out var name)) return null;
            if (!TryTake(source, ref position, valueLength, out var value)) return null;
            result.Add(new(name, value));
        }
        return position == source.Length ? result : null;
    }

    private static bool TryTake(ReadOnlySpan<byte> source, ref int position, uint length, out string text)
    {
        text = "";
        if ((long)position + length + 1 > source.Length) return false;
        if (source[position + (int)length] != 0) return false;
        text = Encoding.UTF8.GetString(source.Slice(position, (int)length));
        position += (int)length + 1;
        return true;
    }
}
