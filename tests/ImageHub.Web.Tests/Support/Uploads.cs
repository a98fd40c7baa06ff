using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageHub.Web.Apis;

namespace ImageHub.Web.Tests.Support;

public static class Uploads
{
    public static MultipartFormDataContent Form(byte[] bytes, string fileName, string? title = null, string contentType = "application/octet-stream")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        if (title is not null) form.Add(new StringContent(title), "title");
        return form;
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] bytes, string fileName = "image.bin", string? title = null) =>
        client.PostAsync("/api/images", Form(bytes, fileName, title));

    public static async Task<ImageDto> UploadAsync(HttpClient client, byte[] bytes, string fileName = "image.bin", string? title = null)
    {
        var response = await PostAsync(client, bytes, fileName, title);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImageDto>())!;
    }
}
