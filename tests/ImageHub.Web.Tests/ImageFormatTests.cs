using ImageHub.Web.Images;
using ImageHub.Web.Tests.Support;

namespace ImageHub.Web.Tests;

/// <summary>The header reader on its own, including header variants the encoders in TestImages do not produce.</summary>
public class ImageFormatTests
{
    private static ImageInfo? Detect(byte[] bytes) => ImageFormat.Detect(new MemoryStream(bytes));

    [Fact]
    public void Reads_each_format_from_real_images()
    {
        Assert.Equal(new ImageInfo("image/png", ".png", 300, 2), Detect(TestImages.Png(300, 2)));
        Assert.Equal(new ImageInfo("image/gif", ".gif", 640, 480), Detect(TestImages.Gif(640, 480)));
        Assert.Equal(new ImageInfo("image/jpeg", ".jpg", 1000, 3), Detect(TestImages.Jpeg(1000, 3)));
        Assert.Equal(new ImageInfo("image/webp", ".webp", 16384, 1), Detect(TestImages.WebP(16384, 1)));
    }

    [Fact]
    public void Reads_lossy_and_extended_webp_headers()
    {
        // RIFF/WEBP with a "VP8 " chunk: frame tag (3 bytes), start code 9D 01 2A, 14-bit width and height.
        byte[] lossy = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBPVP8 "u8, 0, 0, 0, 0, 0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00, 0, 0];
        Assert.Equal(new ImageInfo("image/webp", ".webp", 320, 240), Detect(lossy));
        // "VP8X": flags and reserved (4 bytes), then width-1 and height-1 in 24 bits each.
        byte[] extended = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBPVP8X"u8, 10, 0, 0, 0, 0x10, 0, 0, 0, 0x7F, 0x07, 0x00, 0x37, 0x04, 0x00];
        Assert.Equal(new ImageInfo("image/webp", ".webp", 1920, 1080), Detect(extended));
    }

    [Fact]
    public void Reads_progressive_jpeg_frame_headers()
    {
        var jpeg = TestImages.Jpeg(50, 60);
        var sof = Array.IndexOf(jpeg, (byte)0xC0, 4);
        while (jpeg[sof - 1] != 0xFF) sof = Array.IndexOf(jpeg, (byte)0xC0, sof + 1);
        jpeg[sof] = 0xC2; // SOF2: progressive
        Assert.Equal(new ImageInfo("image/jpeg", ".jpg", 50, 60), Detect(jpeg));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("text")]
    [InlineData("png-signature-only")]
    [InlineData("png-zero-width")]
    [InlineData("gif-zero-height")]
    [InlineData("jpeg-without-frame")]
    [InlineData("jpeg-truncated-segment")]
    [InlineData("riff-not-webp")]
    [InlineData("webp-unknown-chunk")]
    [InlineData("bmp")]
    public void Refuses_what_is_not_a_whole_header(string name)
    {
        byte[] bytes = name switch
        {
            "empty" => [],
            "text" => "<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray(),
            "png-signature-only" => TestImages.Png(2, 2)[..8],
            "png-zero-width" => ZeroAt(TestImages.Png(2, 2), 16, 4),
            "gif-zero-height" => ZeroAt(TestImages.Gif(2, 2), 8, 2),
            "jpeg-without-frame" => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xD9],
            "jpeg-truncated-segment" => [0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 0x00],
            "riff-not-webp" => [.. "RIFF"u8, 0, 0, 0, 0, .. "WAVEfmt "u8, .. new byte[20]],
            "webp-unknown-chunk" => [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBPABCD"u8, .. new byte[20]],
            "bmp" => [.. "BM"u8, .. new byte[60]],
            _ => throw new ArgumentException(name),
        };
        Assert.Null(Detect(bytes));
    }

    private static byte[] ZeroAt(byte[] bytes, int offset, int count)
    {
        Array.Clear(bytes, offset, count);
        return bytes;
    }
}
