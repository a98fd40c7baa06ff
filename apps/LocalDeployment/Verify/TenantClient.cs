using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ImageHub.Deployment.Verify;

/// <summary>
/// Talks to one tenant through the sidecar. A <c>*.localhost</c> name is sent to the loopback
/// address with the tenant in the Host header, so no resolver setup is needed.
/// </summary>
public sealed class TenantClient(HttpClient http, Uri tenantUrl)
{
    public Uri TenantUrl { get; } = tenantUrl;

    /// <summary>The same deployment, another tenant: http://acme.localhost:8080 → http://globex.localhost:8080.</summary>
    public TenantClient ForTenant(string tenant)
    {
        var host = TenantUrl.Host;
        var rest = host.Contains('.') ? host[host.IndexOf('.')..] : ".localhost";
        return new TenantClient(http, new UriBuilder(TenantUrl) { Host = tenant + rest }.Uri);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null,
        HttpContent? content = null, IEnumerable<(string Name, string Value)>? headers = null)
    {
        var target = new UriBuilder(TenantUrl) { Path = path };
        var request = new HttpRequestMessage(method, target.Uri) { Content = content };
        if (TenantUrl.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            target.Host = "127.0.0.1";
            request.RequestUri = target.Uri;
            request.Headers.Host = TenantUrl.Authority;
        }
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        return await http.SendAsync(request);
    }

    /// <summary>Signs up a fresh user and returns its session token.</summary>
    public async Task<string> SignUpAsync(string username, string password, string plan)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/auth/signup",
            content: JsonContent.Create(new { username, password, plan, displayName = username }));
        await EnsureAsync(response, "sign-up");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<string> UploadPngAsync(string token, byte[] png)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("verify"), "title" },
            { new ByteArrayContent(png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "file", "verify.png" },
        };
        using var response = await SendAsync(HttpMethod.Post, "/api/images", token, form);
        await EnsureAsync(response, "upload");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async Task<string> ChangePlanAsync(string token, string plan)
    {
        using var response = await SendAsync(HttpMethod.Put, "/api/me/plan", token, JsonContent.Create(new { plan }));
        await EnsureAsync(response, "plan change");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
