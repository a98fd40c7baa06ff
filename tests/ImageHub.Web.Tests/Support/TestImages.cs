using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

using ImageHub.Testing;

namespace ImageHub.Web.Tests.Support;

/// <summary>
/// Tiny but complete images in each accepted format, encoded here by hand so the tests do not
/// depend on image files or libraries. Each is a real, decodable image of the given size.
/// </summary>
public static class TestImages
{
    /// <summary>An RGB PNG of the given size (see <see cref="PngEncoder"/>).</summary>
    public static byte[] Png(int width, int height) => PngEncoder.Gradient(width, height);

    /// <summary>A GIF89a whose logical screen is width × height, with one 1×1 pixel image in it
    /// (two-colour table, LZW minimum code size 2: clear, index 0, end).</summary>
    public static byte[] Gif(int width, int height)
    {
        var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteUInt16LittleEndian(gif, width);
        WriteUInt16LittleEndian(gif, height);
        gif.Write([0x80, 0x00, 0x00]);                      // global colour table of 2 entries
        gif.Write([0xE0, 0x40, 0x60, 0xFF, 0xFF, 0xFF]);    // colours: orange, white
        gif.Write([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0x00]);    // image descriptor: 1×1 at (0,0)
        gif.Write([0x02, 0x02, 0x44, 0x01, 0x00]);          // LZW min size 2; 2 data bytes; terminator
        gif.WriteByte(0x3B);                                // trailer
        return gif.ToArray();
    }

    /// <summary>
    /// A baseline greyscale JPEG of width × height (multiples of 8 not required). Every 8×8 block is
    /// mid grey: DC difference 0 and an immediate end-of-block, each a one-bit Huffman code "0", so
    /// each block is the bits "00". An APP0 (JFIF) and a padding APP1 segment come before the frame
    /// header, as in camera files, to make the size reader walk the markers.
    /// </summary>
    public static byte[] Jpeg(int width, int height)
    {
        var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);
        Segment(jpeg, 0xE0, [.. "JFIF"u8, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        Segment(jpeg, 0xE1, [.. "Exif"u8, 0, 0, .. new byte[300]]);
        Segment(jpeg, 0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]);                 // quantisation table 0: all ones
        Segment(jpeg, 0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        Segment(jpeg, 0xC4, [0x00, 1, .. new byte[15], 0x00]);                          // DC table 0: one code of length 1 → category 0
        Segment(jpeg, 0xC4, [0x10, 1, .. new byte[15], 0x00]);                          // AC table 0: one code of length 1 → EOB
        Segment(jpeg, 0xDA, [1, 1, 0x00, 0, 63, 0]);
        var blocks = ((width + 7) / 8) * ((height + 7) / 8);
        var bits = blocks * 2;
        var data = new byte[(bits + 7) / 8];
        if (bits % 8 != 0) data[^1] = (byte)(0xFF >> (bits % 8)); // pad the last byte with ones
        jpeg.Write(data);
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    private static void Segment(Stream jpeg, byte marker, byte[] payload)
    {
        jpeg.Write([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
        jpeg.Write(payload);
    }

    /// <summary>
    /// A lossless (VP8L) WebP of one colour. The bitstream: signature 0x2F, width-1 and height-1
    /// (14 bits each), alpha flag, version 0; no transforms, no colour cache, no meta prefix codes;
    /// then five "simple" prefix codes of a single symbol each, which take zero bits per pixel.
    /// </summary>
    public static byte[] WebP(int width, int height)
    {
        var bits = new BitWriter();
        bits.Write(0x2F, 8);
        bits.Write((uint)(width - 1), 14);
        bits.Write((uint)(height - 1), 14);
        bits.Write(0, 1); // alpha not used
        bits.Write(0, 3); // version
        bits.Write(0, 1); // no transform
        bits.Write(0, 1); // no colour cache
        bits.Write(0, 1); // no meta prefix codes
        foreach (var symbol in new uint[] { 0x40, 0xE0, 0x60, 0xFF, 0 }) // green, red, blue, alpha, distance
        {
            bits.Write(1, 1); // simple code
            bits.Write(0, 1); // one symbol
            bits.Write(1, 1); // 8-bit symbol
            bits.Write(symbol, 8);
        }
        var payload = bits.ToArray();
        var webp = new MemoryStream();
        var chunkSize = payload.Length;
        var padded = chunkSize + (chunkSize & 1);
        webp.Write("RIFF"u8);
        WriteUInt32LittleEndian(webp, (uint)(4 + 8 + padded));
        webp.Write("WEBPVP8L"u8);
        WriteUInt32LittleEndian(webp, (uint)chunkSize);
        webp.Write(payload);
        if ((chunkSize & 1) == 1) webp.WriteByte(0);
        return webp.ToArray();
    }

    private static void WriteUInt16LittleEndian(Stream s, int value)
    {
        s.WriteByte((byte)value);
        s.WriteByte((byte)(value >> 8));
    }

    private static void WriteUInt32LittleEndian(Stream s, uint value)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(four, value);
        s.Write(four);
    }

    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = [];
        private int _used = 8;

        public void Write(uint value, int count)
        {
            for (var i = 0; i < count; i++)
            {
                if (_used == 8)
                {
                    _bytes.Add(0);
                    _used = 0;
                }
                if (((value >> i) & 1) != 0) _bytes[^1] |= (byte)(1 << _used);
                _used++;
            }
        }

        public byte[] ToArray() => [.. _bytes];
    }
}
