using System.Net;
using System.Net.Http.Json;
using ImageHub.Web.Apis;
using ImageHub.Web.Tests.Support;

namespace ImageHub.Web.Tests;

/// <summary>ImageHub:TrustSidecarHeaders off (the default): the tenant comes from the Host.</summary>
public class HostTenancyTests(ImageHubFactory factory) : IClassFixture<ImageHubFactory>
{
    [Fact]
    public async Task The_host_names_the_tenant_and_a_client_sent_tenant_header_is_ignored()
    {
        var client = await factory.SignedInClientAsync("acme", "alice");
        client.DefaultRequestHeaders.Add("x-imagehub-tenant", "globex");
        var me = await client.GetFromJsonAsync<MeDto>("/api/me");
        Assert.Equal("acme", me!.Tenant.Slug);
    }

    [Fact]
    public async Task An_unknown_tenant_is_404_for_the_api_and_the_pages()
    {
        var client = factory.ClientFor("initech");
        var api = await client.GetAsync("/api/images");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Contains("initech", await api.Content.ReadAsStringAsync());
        var page = await client.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("There is no tenant", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_bare_host_shows_the_tenants_and_has_no_api()
    {
        var client = factory.CreateClient(new() { BaseAddress = new Uri("http://127.0.0.1:5080"), AllowAutoRedirect = false });
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var html = await home.Content.ReadAsStringAsync();
        Assert.Contains("http://acme.localhost:5080/", html);
        Assert.Contains("http://globex.localhost:5080/", html);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/images")).StatusCode);
    }
}

/// <summary>ImageHub:TrustSidecarHeaders on: the tenant comes from x-imagehub-tenant, never from the Host.</summary>
public class SidecarTenancyTests() : IDisposable
{
    private readonly ImageHubFactory _factory = ImageHubFactory.With(new Dictionary<string, string?> { ["ImageHub:TrustSidecarHeaders"] = "true" });

    private HttpClient Client(string? tenantHeader)
    {
        var client = _factory.CreateClient(new() { BaseAddress = new Uri("http://imagehub.internal"), AllowAutoRedirect = false });
        if (tenantHeader is not null) client.DefaultRequestHeaders.Add("x-imagehub-tenant", tenantHeader);
        return client;
    }

    [Fact]
    public async Task The_header_names_the_tenant_whatever_the_host()
    {
        var client = Client("globex");
        var signIn = await client.PostAsJsonAsync("/api/auth/signin", new { username = "bob", password = "imagehub-demo" });
        signIn.EnsureSuccessStatusCode();
        var session = await signIn.Content.ReadFromJsonAsync<SessionDto>();
        client.DefaultRequestHeaders.Authorization = new("Bearer", session!.Token);
        Assert.Equal("globex", (await client.GetFromJsonAsync<MeDto>("/api/me"))!.Tenant.Slug);

        var acmeHost = _factory.CreateClient(new() { BaseAddress = new Uri("http://acme.localhost") });
        acmeHost.DefaultRequestHeaders.Add("x-imagehub-tenant", "globex");
        acmeHost.DefaultRequestHeaders.Authorization = new("Bearer", session.Token);
        Assert.Equal("globex", (await acmeHost.GetFromJsonAsync<MeDto>("/api/me"))!.Tenant.Slug);
    }

    [Fact]
    public async Task A_missing_header_is_400_saying_why()
    {
        var response = await Client(null).GetAsync("/api/images");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("x-imagehub-tenant", await response.Content.ReadAsStringAsync());
        // Even a tenant-looking host does not help: the host is not trusted in this mode.
        var byHost = await _factory.CreateClient(new() { BaseAddress = new Uri("http://acme.localhost") }).GetAsync("/signin");
        Assert.Equal(HttpStatusCode.BadRequest, byHost.StatusCode);
    }

    [Fact]
    public async Task An_unknown_tenant_in_the_header_is_404()
    {
        var response = await Client("initech").GetAsync("/api/images");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Health_checks_need_no_tenant()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client(null).GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client(null).GetAsync("/readyz")).StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}
