using System.Buffers.Binary;

namespace ImageHub.Web.Images;

/// <summary>What the bytes of an upload are, judged by their magic numbers and header.</summary>
public sealed record ImageInfo(string ContentType, string Extension, int Width, int Height);

/// <summary>
/// Recognises PNG, GIF, JPEG and WebP from the first bytes and reads width × height from the
/// header. Anything else (including a truncated or nonsensical header) is not an image.
/// The file name is never consulted.
/// </summary>
public static class ImageFormat
{
    private const int HeadLength = 32;

    public static ImageInfo? Detect(Stream stream)
    {
        var head = new byte[HeadLength];
        var read = stream.ReadAtLeast(head, HeadLength, throwOnEndOfStream: false);
        var span = head.AsSpan(0, read);
        return span switch
        {
            [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Png(span),
            [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => Gif(span),
            [0xFF, 0xD8, 0xFF, ..] => Jpeg(stream),
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => WebP(span),
            _ => null,
        };
    }

    private static ImageInfo? Png(ReadOnlySpan<byte> head)
    {
        // The first chunk must be IHDR: length(4) "IHDR" width(4, big-endian) height(4, big-endian).
        if (head.Length < 24 || !head.Slice(12, 4).SequenceEqual("IHDR"u8)) return null;
        var width = BinaryPrimitives.ReadUInt32BigEndian(head[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(head[20..]);
        return Sized("image/png", ".png", width, height);
    }

    private static ImageInfo? Gif(ReadOnlySpan<byte> head)
    {
        // Logical screen descriptor right after the 6-byte signature, little-endian.
        if (head.Length < 10) return null;
        return Sized("image/gif", ".gif", BinaryPrimitives.ReadUInt16LittleEndian(head[6..]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..]));
    }

    private static ImageInfo? Jpeg(Stream stream)
    {
        // Walk the marker segments until a start-of-frame (SOFn) marker, which holds the size:
        // length(2) precision(1) height(2) width(2), big-endian. EXIF blocks may come first.
        stream.Position = 2;
        Span<byte> two = stackalloc byte[2];
        Span<byte> frame = stackalloc byte[5];
        while (true)
        {
            if (stream.ReadAtLeast(two, 2, throwOnEndOfStream: false) < 2 || two[0] != 0xFF) return null;
            var marker = two[1];
            while (marker == 0xFF) // fill bytes
            {
                var next = stream.ReadByte();
                if (next < 0) return null;
                marker = (byte)next;
            }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) continue; // stand-alone markers, no length
            if (marker is 0xD9 or 0xDA or 0x00) return null;     // end of image / scan data before any frame header
            if (stream.ReadAtLeast(two, 2, throwOnEndOfStream: false) < 2) return null;
            var length = BinaryPrimitives.ReadUInt16BigEndian(two);
            if (length < 2) return null;
            var isFrame = marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC);
            if (isFrame)
            {
                if (length < 7 || stream.ReadAtLeast(frame, 5, throwOnEndOfStream: false) < 5) return null;
                return Sized("image/jpeg", ".jpg", BinaryPrimitives.ReadUInt16BigEndian(frame[3..]), BinaryPrimitives.ReadUInt16BigEndian(frame[1..]));
            }
            if (stream.Position + length - 2 > stream.Length) return null;
            stream.Position += length - 2;
        }
    }

    private static ImageInfo? WebP(ReadOnlySpan<byte> head)
    {
        if (head.Length < 30) return null;
        var chunk = head.Slice(12, 4);
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (little-endian).
            if (head[23] != 0x9D || head[24] != 0x01 || head[25] != 0x2A) return null;
            return Sized("image/webp", ".webp",
                BinaryPrimitives.ReadUInt16LittleEndian(head[26..]) & 0x3FFFu,
                BinaryPrimitives.ReadUInt16LittleEndian(head[28..]) & 0x3FFFu);
        }
        if (chunk.SequenceEqual("VP8L"u8))
        {
            // Lossless: signature 0x2F, then width-1 and height-1 as two 14-bit fields.
            if (head[20] != 0x2F) return null;
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(head[21..]);
            return Sized("image/webp", ".webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Extended: flags(4), then canvas width-1 and height-1 as 24-bit little-endian numbers.
            var width = head[24] | (uint)head[25] << 8 | (uint)head[26] << 16;
            var height = head[27] | (uint)head[28] << 8 | (uint)head[29] << 16;
            return Sized("image/webp", ".webp", width + 1, height + 1);
        }
        return null;
    }

    private static ImageInfo? Sized(string contentType, string extension, uint width, uint height) =>
        width is 0 or > int.MaxValue || height is 0 or > int.MaxValue
            ? null
            : new ImageInfo(contentType, extension, (int)width, (int)height);
}
