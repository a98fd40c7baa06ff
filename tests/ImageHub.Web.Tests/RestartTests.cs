using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageHub.Web.Apis;
using ImageHub.Web.Tests.Support;

namespace ImageHub.Web.Tests;

public class RestartTests
{
    [Fact]
    public async Task Users_images_bytes_and_sessions_survive_a_restart_on_the_same_data_folder()
    {
        var dataDirectory = ImageHubFactory.NewDataDirectory();
        try
        {
            var bytes = TestImages.Jpeg(24, 16);
            string token, id;
            using (var first = ImageHubFactory.With(null, dataDirectory))
            {
                var client = first.ClientFor("globex");
                var signUp = await client.PostAsJsonAsync("/api/auth/signup", new { username = "henry", password = "henry's secret", plan = "team" });
                token = (await signUp.Content.ReadFromJsonAsync<SessionDto>())!.Token;
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                id = (await Uploads.UploadAsync(client, bytes, "kept.jpg", "Kept")).Id;
            }

            using var second = ImageHubFactory.With(null, dataDirectory);
            var again = second.ClientFor("globex");
            again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token); // same key, so the old token still works
            var image = await again.GetFromJsonAsync<ImageDto>($"/api/images/{id}");
            Assert.Equal("Kept", image!.Title);
            Assert.Equal(bytes, await again.GetByteArrayAsync(image.PullUrl));

            var signIn = await second.ClientFor("globex").PostAsJsonAsync("/api/auth/signin", new { username = "henry", password = "henry's secret" });
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            Assert.Equal("team", (await signIn.Content.ReadFromJsonAsync<SessionDto>())!.Plan.Id);
        }
        finally
        {
            ImageHubFactory.DeleteDataDirectory(dataDirectory);
        }
    }
}
