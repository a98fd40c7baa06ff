using System.Buffers.Binary;
using System.Text;

namespace ImageHub.Wasm.Decoding;

/// <summary>
/// A cursor over module bytes that reads the binary format's primitives
/// (LEB128 integers, floats, names) and reports problems as malformed-module
/// errors naming the current section and byte offset.
/// </summary>
internal sealed class WasmReader(ReadOnlyMemory<byte> bytes)
{
    private readonly ReadOnlyMemory<byte> _bytes = bytes;
    public int Position;
    public int End = bytes.Length;
    public string Section = "header";

    public ReadOnlySpan<byte> Span => _bytes.Span;
    public ReadOnlyMemory<byte> Memory => _bytes;
    public bool AtEnd => Position >= End;

    public WasmFormatException Malformed(string reason, long? at = null) =>
        new(WasmFormatProblem.Malformed, Section, at ?? Position, reason);

    /// <summary>Where the current instruction starts: validation errors point there.</summary>
    public int? InstructionStart;

    public WasmFormatException Invalid(string reason, long? at = null) =>
        new(WasmFormatProblem.Invalid, Section, at ?? InstructionStart ?? Position, reason);

    public byte ReadByte()
    {
        if (Position >= End) throw Malformed(End == _bytes.Length ? "unexpected end" : "unexpected end of section or function");
        return _bytes.Span[Position++];
    }

    public byte PeekByte()
    {
        if (Position >= End) throw Malformed("unexpected end");
        return _bytes.Span[Position];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > End - Position) throw Malformed("unexpected end of section or function: length out of bounds");
        var span = _bytes.Span.Slice(Position, count);
        Position += count;
        return span;
    }

    public uint ReadU32()
    {
        uint result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw Malformed("integer representation too long");
                if ((b & 0x70) != 0) throw Malformed("integer too large");
                return result | ((uint)b << 28);
            }
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }

    /// <summary>A u32 used as a count or index that must fit an int for us to hold it.</summary>
    public int ReadCount(string what)
    {
        int at = Position;
        uint value = ReadU32();
        if (value > int.MaxValue) throw Malformed($"{what} too large", at);
        return (int)value;
    }

    public int ReadS32()
    {
        int result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw Malformed("integer representation too long");
                // The unused high bits must be a sign extension of bit 3.
                int high = b & 0x70;
                if (high != 0 && high != 0x70) throw Malformed("integer too large");
                if (((b & 0x08) != 0) != (high == 0x70)) throw Malformed("integer too large");
                return result | (b << 28);
            }
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if ((b & 0x40) != 0) result |= -1 << (shift + 7);
                return result;
            }
        }
    }

    public long ReadS64()
    {
        long result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 63)
            {
                if ((b & 0x80) != 0) throw Malformed("integer representation too long");
                if (b != 0 && b != 0x7F) throw Malformed("integer too large");
                return result | ((long)b << 63);
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if ((b & 0x40) != 0 && shift + 7 < 64) result |= -1L << (shift + 7);
                return result;
            }
        }
    }

    /// <summary>A signed 33-bit integer (block types).</summary>
    public long ReadS33()
    {
        long result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw Malformed("integer representation too long");
                int high = b & 0x60;
                if (high != 0 && high != 0x60) throw Malformed("integer too large");
                result |= (long)(b & 0x7F) << 28;
                if ((b & 0x40) != 0) result |= -1L << 35;
                return result;
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if ((b & 0x40) != 0) result |= -1L << (shift + 7);
                return result;
            }
        }
    }

    public float ReadF32() => BinaryPrimitives.ReadSingleLittleEndian(ReadBytes(4));
    public uint ReadF32Bits() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));
    public ulong ReadF64Bits() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public string ReadName()
    {
        int length = ReadCount("name length");
        int at = Position;
        var span = ReadBytes(length);
        try { return StrictUtf8.GetString(span); }
        catch (DecoderFallbackException) { throw Malformed("malformed UTF-8 encoding", at); }
    }
}
