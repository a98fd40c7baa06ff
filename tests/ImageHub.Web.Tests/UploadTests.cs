using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using ImageHub.Web.Apis;
using ImageHub.Web.Tests.Support;

namespace ImageHub.Web.Tests;

public class UploadTests(ImageHubFactory factory) : IClassFixture<ImageHubFactory>
{
    public static TheoryData<string, string, int, int> Formats => new()
    {
        { "png", "image/png", 7, 5 },
        { "gif", "image/gif", 9, 4 },
        { "jpeg", "image/jpeg", 20, 12 },
        { "webp", "image/webp", 33, 17 },
    };

    private static byte[] Make(string format, int width, int height) => format switch
    {
        "png" => TestImages.Png(width, height),
        "gif" => TestImages.Gif(width, height),
        "jpeg" => TestImages.Jpeg(width, height),
        "webp" => TestImages.WebP(width, height),
        _ => throw new ArgumentException(format),
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Each_format_is_stored_with_its_type_and_size_and_pulled_back_byte_for_byte(string format, string contentType, int width, int height)
    {
        var client = await factory.SignedInClientAsync("acme", "alice");
        var bytes = Make(format, width, height);
        // A misleading name and declared type: only the bytes count.
        var image = await Uploads.UploadAsync(client, bytes, "photo.txt", $"A {format}");

        Assert.Equal(contentType, image.ContentType);
        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.Equal(bytes.Length, image.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), image.Sha256);
        Assert.Equal($"A {format}", image.Title);

        var pull = await client.GetAsync(image.PullUrl, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        Assert.Equal(contentType, pull.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", pull.Content.Headers.ContentDisposition?.DispositionType);
        var extension = format == "jpeg" ? ".jpg" : "." + format;
        Assert.Equal($"A-{format}{extension}", pull.Content.Headers.ContentDisposition?.FileName); // from the title, never the upload's name
        Assert.Equal(bytes.Length, pull.Content.Headers.ContentLength);
        Assert.Equal("no-store", pull.Headers.CacheControl?.ToString());
        Assert.Equal(bytes, await pull.Content.ReadAsByteArrayAsync());

        var content = await client.GetAsync(image.ContentUrl);
        Assert.Null(content.Content.Headers.ContentDisposition);
        Assert.Equal(bytes, await content.Content.ReadAsByteArrayAsync());

        var listed = await client.GetFromJsonAsync<ImageDto[]>("/api/images");
        Assert.Contains(listed!, i => i.Id == image.Id);
    }

    [Fact]
    public async Task Non_image_bytes_are_415_even_when_named_png_and_nothing_is_stored()
    {
        var client = await factory.SignedInClientAsync("acme", "bob");
        var before = await CountAsync(client);
        var blobsBefore = factory.BlobFiles().Length;

        foreach (var bytes in new[] { "just some text"u8.ToArray(), Array.Empty<byte>(), TestImages.Png(4, 4)[..20], "GIF87a"u8.ToArray() })
        {
            var response = await Uploads.PostAsync(client, bytes, "holiday.png");
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("not a PNG, JPEG, GIF or WebP", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(before, await CountAsync(client));
        Assert.Equal(blobsBefore, factory.BlobFiles().Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(factory.DataDirectory, "blobs", "tmp")));
    }

    [Fact]
    public async Task A_body_that_is_not_multipart_is_415_and_a_form_without_a_file_is_400()
    {
        var client = await factory.SignedInClientAsync("acme", "bob");
        var raw = await client.PostAsync("/api/images", new ByteArrayContent(TestImages.Png(2, 2)));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, raw.StatusCode);
        var noFile = new MultipartFormDataContent { { new StringContent("only a title"), "title" } };
        var response = await client.PostAsync("/api/images", noFile);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'file'", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("../../../../etc/passwd.png", "passwd")]
    [InlineData("..\\..\\windows\\win.ini.gif", "win.ini")]
    [InlineData("/absolute/path/cat.jpg", "cat")]
    [InlineData("..", "Untitled")]
    public async Task Path_traversal_file_names_only_ever_become_a_title(string fileName, string expectedTitle)
    {
        var client = await factory.SignedInClientAsync("acme", "carol");
        var bytes = TestImages.Gif(3, 3 + fileName.Length); // distinct bytes per case
        var image = await Uploads.UploadAsync(client, bytes, fileName);
        Assert.Equal(expectedTitle, image.Title);

        // The bytes live only at their content address inside the data folder.
        var expectedPath = Path.Combine(factory.DataDirectory, "blobs", image.Sha256[..2], image.Sha256);
        Assert.Equal(bytes, File.ReadAllBytes(expectedPath));
        Assert.All(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "blobs"), "*", SearchOption.AllDirectories),
            path => Assert.Matches("^(tmp|[0-9a-f]{2}|[0-9a-f]{64})$", Path.GetFileName(path)));
    }

    [Fact]
    public async Task Titles_are_sanitised_and_html_in_them_is_shown_as_text()
    {
        var client = await factory.SignedInClientAsync("acme", "alice");
        var image = await Uploads.UploadAsync(client, TestImages.Png(3, 9), "x.png", "  <script>alert(1)</script>\u202E\u0007 line\r\nbreak  ");
        Assert.Equal("<script>alert(1)</script> line break", image.Title);

        var browser = factory.ClientFor("acme");
        await SignInBrowser(browser, "alice");
        var html = await (await browser.GetAsync($"/images/{image.Id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public async Task Equal_bytes_share_one_blob_which_is_deleted_with_its_last_image()
    {
        var alice = await factory.SignedInClientAsync("acme", "alice");
        var globexBob = await factory.SignedInClientAsync("globex", "bob");
        var bytes = TestImages.Png(11, 13);
        var first = await Uploads.UploadAsync(alice, bytes, "a.png");
        var second = await Uploads.UploadAsync(globexBob, bytes, "b.png");
        Assert.NotEqual(first.Id, second.Id);
        var blob = Path.Combine(factory.DataDirectory, "blobs", first.Sha256[..2], first.Sha256);
        Assert.Single(factory.BlobFiles(), f => f == blob);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/images/{first.Id}")).StatusCode);
        Assert.True(File.Exists(blob), "globex still uses the bytes");
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/images/{first.Id}")).StatusCode);
        Assert.Equal(bytes, await globexBob.GetByteArrayAsync(second.PullUrl));

        Assert.Equal(HttpStatusCode.NoContent, (await globexBob.DeleteAsync($"/api/images/{second.Id}")).StatusCode);
        Assert.False(File.Exists(blob));
    }

    [Fact]
    public async Task Only_the_owner_may_delete()
    {
        var alice = await factory.SignedInClientAsync("acme", "alice");
        var bob = await factory.SignedInClientAsync("acme", "bob");
        var image = await Uploads.UploadAsync(alice, TestImages.Gif(12, 2), "mine.gif");

        var response = await bob.DeleteAsync($"/api/images/{image.Id}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync($"/api/images/{image.Id}")).StatusCode); // bob may look, not delete

        var browserBob = factory.ClientFor("acme");
        await SignInBrowser(browserBob, "bob");
        var page = await browserBob.GetAsync($"/images/{image.Id}");
        Assert.DoesNotContain("delete-button", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await browserBob.PostAsync($"/images/{image.Id}/delete", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/images/{image.Id}")).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_image_is_404_everywhere()
    {
        var acmeAlice = await factory.SignedInClientAsync("acme", "alice");
        var globexAlice = await factory.SignedInClientAsync("globex", "alice");
        var image = await Uploads.UploadAsync(acmeAlice, TestImages.Jpeg(8, 8), "secret.jpg");

        foreach (var path in new[] { $"/api/images/{image.Id}", image.ContentUrl, image.PullUrl })
            Assert.Equal(HttpStatusCode.NotFound, (await globexAlice.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globexAlice.DeleteAsync($"/api/images/{image.Id}")).StatusCode);
        Assert.DoesNotContain(await globexAlice.GetFromJsonAsync<ImageDto[]>("/api/images") ?? [], i => i.Id == image.Id);

        var browser = factory.ClientFor("globex");
        await SignInBrowser(browser, "alice");
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/images/{image.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await acmeAlice.GetAsync(image.PullUrl)).StatusCode);
    }

    [Fact]
    public async Task Browser_upload_redirects_to_the_image_page_with_a_pull_button()
    {
        var browser = factory.ClientFor("acme");
        await SignInBrowser(browser, "carol");
        var response = await browser.PostAsync("/images", Uploads.Form(TestImages.WebP(40, 30), "sunset.webp", "Sunset"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await browser.GetAsync(response.Headers.Location!.OriginalString);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("id=\"pull-button\"", html);
        Assert.Contains("40 × 30 px", html);
        Assert.Contains("id=\"ratelimit-remaining\"", html);
        Assert.Contains("id=\"ratelimit-message\"", html);

        var rejected = await browser.PostAsync("/images", Uploads.Form("nope"u8.ToArray(), "x.webp"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, rejected.StatusCode);
        Assert.Contains("id=\"upload-error\"", await rejected.Content.ReadAsStringAsync());
    }

    private static async Task<int> CountAsync(HttpClient client) => (await client.GetFromJsonAsync<ImageDto[]>("/api/images"))!.Length;

    internal static async Task SignInBrowser(HttpClient browser, string username)
    {
        var response = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = "imagehub-demo",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}

/// <summary>The size limit, on an app whose limit is small enough to test quickly.</summary>
public class UploadLimitTests() : IDisposable
{
    private readonly ImageHubFactory _factory = ImageHubFactory.With(new Dictionary<string, string?> { ["ImageHub:MaxUploadBytes"] = "2048" });

    [Fact]
    public async Task Over_the_limit_is_413_and_nothing_is_stored()
    {
        var client = await _factory.SignedInClientAsync("acme", "alice");
        var big = TestImages.Png(200, 200);
        Assert.True(big.Length > 2048, $"test image is {big.Length} bytes");

        var response = await Uploads.PostAsync(client, big, "big.png");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("2 KiB", await response.Content.ReadAsStringAsync());
        Assert.Empty(await client.GetFromJsonAsync<ImageDto[]>("/api/images") ?? []);
        Assert.Empty(_factory.BlobFiles());

        var exactlyAtLimit = PadGif(2048);
        Assert.Equal(HttpStatusCode.Created, (await Uploads.PostAsync(client, exactlyAtLimit, "ok.gif")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Uploads.PostAsync(client, PadGif(2049), "no.gif")).StatusCode);
        Assert.Single(await client.GetFromJsonAsync<ImageDto[]>("/api/images") ?? []);
    }

    /// <summary>A GIF padded after its trailer to an exact length (decoders ignore bytes after the trailer).</summary>
    private static byte[] PadGif(int length)
    {
        var gif = TestImages.Gif(2, 2);
        var padded = new byte[length];
        gif.CopyTo(padded, 0);
        return padded;
    }

    public void Dispose() => _factory.Dispose();
}
