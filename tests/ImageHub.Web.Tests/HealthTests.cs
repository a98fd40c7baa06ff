using ImageHub.Web.Tests.Support;

namespace ImageHub.Web.Tests;

public class HealthTests(ImageHubFactory factory) : IClassFixture<ImageHubFactory>
{
    [Fact]
    public async Task Healthz_answers_alive_on_any_host()
    {
        var response = await factory.CreateClient().GetAsync("/healthz");
        response.EnsureSuccessStatusCode();
        Assert.Contains("alive", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_answers_ready_when_the_database_is_reachable()
    {
        var response = await factory.CreateClient().GetAsync("/readyz");
        response.EnsureSuccessStatusCode();
        Assert.Contains("ready", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_answers_503_when_the_database_file_is_gone()
    {
        using var broken = new ImageHubFactory();
        var client = broken.CreateClient();
        (await client.GetAsync("/readyz")).EnsureSuccessStatusCode();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // Replace the database file by a directory: SQLite cannot open it any more.
        var db = Path.Combine(broken.DataDirectory, "imagehub.db");
        foreach (var f in Directory.GetFiles(broken.DataDirectory, "imagehub.db*")) File.Delete(f);
        Directory.CreateDirectory(db);
        var response = await client.GetAsync("/readyz");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Assets_are_served_from_the_app_itself()
    {
        var client = factory.CreateClient();
        var css = await client.GetAsync("/assets/app.css");
        css.EnsureSuccessStatusCode();
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("--accent", await css.Content.ReadAsStringAsync());
        var js = await client.GetAsync("/assets/app.js");
        Assert.Contains("x-ratelimit-remaining", await js.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/assets/nope.css")).StatusCode);
    }
}
