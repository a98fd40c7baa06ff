using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageHub.Web.Tests;

public class HealthTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Healthz_answers_alive()
    {
        var response = await factory.CreateClient().GetAsync("/healthz");
        response.EnsureSuccessStatusCode();
        Assert.Contains("alive", await response.Content.ReadAsStringAsync());
    }
}
