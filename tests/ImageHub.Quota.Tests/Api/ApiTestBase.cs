using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ImageHub.Quota.Tests.Support;

namespace ImageHub.Quota.Tests.Api;

/// <summary>Helpers for the HTTP tests: send JSON, read JSON or problem+json.</summary>
public abstract class ApiTestBase : IDisposable
{
    protected ApiTestBase(QuotaServiceFactory factory)
    {
        Factory = factory;
        Client = factory.CreateClient();
    }

    protected QuotaServiceFactory Factory { get; }
    protected HttpClient Client { get; }
    protected string Tenant { get; } = Ids.NewTenant();

    protected Task<HttpResponseMessage> PostRaw(string path, string body) =>
        Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    protected Task<HttpResponseMessage> PutRaw(string path, string body) =>
        Client.PutAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    protected async Task<JsonElement> Consume(string user, int cost = 1)
    {
        var response = await Client.PostAsJsonAsync("/v1/quota/consume", new { tenant = Tenant, user, cost });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Asserts a problem+json answer with the status and a detail containing the words given.</summary>
    protected static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString();
        Assert.Contains(detailContains, detail, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        Client.Dispose();
        GC.SuppressFinalize(this);
    }
}
