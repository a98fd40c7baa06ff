namespace ImageHub.Wasm.Tests.Robustness;

/// <summary>Unsigned LEB128 as the binary format uses it, including the overlong encodings the mutator makes.</summary>
internal static class Leb128
{
    /// <summary>Encodes <paramref name="value"/> in at least <paramref name="minBytes"/> bytes (padding with continuation bytes).</summary>
    public static byte[] Encode(ulong value, int minBytes = 1)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            var more = value != 0 || bytes.Count + 1 < minBytes;
            bytes.Add(more ? (byte)(b | 0x80) : b);
        } while (value != 0 || bytes.Count < minBytes);
        return bytes.ToArray();
    }

    /// <summary>Reads an unsigned LEB128 at <paramref name="position"/>; false when it runs off the end or past 10 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, int position, out ulong value, out int length)
    {
        value = 0;
        length = 0;
        for (var shift = 0; position + length < bytes.Length && length < 10; shift += 7)
        {
            var b = bytes[position + length++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }
}
