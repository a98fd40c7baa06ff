using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ImageHub.Web.Apis;
using ImageHub.Web.Plans;
using ImageHub.Web.Tests.Support;

namespace ImageHub.Web.Tests;

public class PlanTests(ImageHubFactory factory) : IClassFixture<ImageHubFactory>
{
    [Fact]
    public async Task The_plans_are_the_contract_numbers()
    {
        var plans = await factory.ClientFor("acme").GetFromJsonAsync<PlanDto[]>("/api/plans");
        Assert.Equal([new("personal", "Personal", 10), new("team", "Team", 100), new("enterprise", "Enterprise", 1000)], plans!);
    }

    [Fact]
    public async Task Changing_plan_reissues_the_token_with_the_new_plan_claim()
    {
        var client = factory.ClientFor("globex");
        var signUp = await client.PostAsJsonAsync("/api/auth/signup", new { username = "ivan", password = "ivan's password" });
        var first = (await signUp.Content.ReadFromJsonAsync<SessionDto>())!;
        Assert.Equal("personal", first.Plan.Id);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first.Token);

        var change = await client.PutAsJsonAsync("/api/me/plan", new { plan = "enterprise" });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        var second = (await change.Content.ReadFromJsonAsync<SessionDto>())!;
        Assert.Equal("enterprise", second.Plan.Id);
        Assert.Equal(1000, second.Plan.LimitPerMinute);
        Assert.Equal("enterprise", PlanClaim(second.Token));
        Assert.False(change.Headers.Contains("Set-Cookie"), "a Bearer client gets no cookie");

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", second.Token);
        Assert.Equal("enterprise", (await client.GetFromJsonAsync<MeDto>("/api/me"))!.User.Plan);
    }

    [Fact]
    public async Task An_unknown_plan_is_400_and_changes_nothing()
    {
        var client = await factory.SignedInClientAsync("acme", "bob");
        var response = await client.PutAsJsonAsync("/api/me/plan", new { plan = "gold" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown plan 'gold'", await response.Content.ReadAsStringAsync());
        Assert.Equal("team", (await client.GetFromJsonAsync<MeDto>("/api/me"))!.User.Plan);
    }

    [Fact]
    public async Task The_plan_page_changes_plan_and_rewrites_the_cookie()
    {
        var browser = factory.ClientFor("globex");
        await UploadTests.SignInBrowser(browser, "carol");
        var response = await browser.PostAsync("/plan", new FormUrlEncodedContent(new Dictionary<string, string> { ["plan"] = "personal" }));
        Assert.Equal("/plan?changed=personal", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Equal("personal", PlanClaim(cookie["imagehub_session=".Length..cookie.IndexOf(';')]));
        var page = await (await browser.GetAsync("/plan?changed=personal")).Content.ReadAsStringAsync();
        Assert.Contains("You are now on the Personal plan", page);
        Assert.Contains("id=\"plan-name\" data-testid=\"plan-name\" data-plan=\"personal\"", page);
    }

    private static string? PlanClaim(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight((payload.Length + 3) / 4 * 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.GetProperty("plan").GetString();
    }
}

/// <summary>The seam to the quota service, against a real HTTP listener.</summary>
public class QuotaPlanSyncTests : IAsyncLifetime
{
    private FakeQuotaService _quota = null!;
    private ImageHubFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _quota = await FakeQuotaService.StartAsync();
        // Seeding off: the background sync of the demo users would add calls the tests do not expect.
        _factory = ImageHubFactory.With(new Dictionary<string, string?>
        {
            ["ImageHub:QuotaServiceUrl"] = _quota.Url,
            ["ImageHub:SeedDemoData"] = "false",
            ["ImageHub:Tenants:0:Slug"] = "acme",
            ["ImageHub:Tenants:0:Name"] = "Acme Corp",
        });
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _quota.DisposeAsync();
    }

    [Fact]
    public async Task The_http_implementation_puts_the_plan_as_json()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_quota.Url + "/") };
        await new HttpQuotaPlanSync(http).SetPlanAsync("acme", "alice", "team");
        var call = Assert.Single(_quota.Calls);
        Assert.Equal("PUT", call.Method);
        Assert.Equal("/v1/users/acme/alice/plan", call.Path);
        Assert.StartsWith("application/json", call.ContentType);
        Assert.Equal("team", JsonDocument.Parse(call.Body).RootElement.GetProperty("plan").GetString());
    }

    [Fact]
    public async Task The_http_implementation_reports_refusals_and_unreachable_services()
    {
        _quota.Status = 503;
        using var http = new HttpClient { BaseAddress = new Uri(_quota.Url + "/") };
        var refused = await Assert.ThrowsAsync<QuotaPlanSyncException>(() => new HttpQuotaPlanSync(http).SetPlanAsync("acme", "alice", "team"));
        Assert.Contains("503", refused.Message);

        using var nowhere = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/") };
        var unreachable = await Assert.ThrowsAsync<QuotaPlanSyncException>(() => new HttpQuotaPlanSync(nowhere).SetPlanAsync("acme", "alice", "team"));
        Assert.Contains("could not be reached", unreachable.Message);
    }

    [Fact]
    public async Task Sign_up_and_plan_change_tell_the_quota_service()
    {
        var client = _factory.ClientFor("acme");
        var signUp = await client.PostAsJsonAsync("/api/auth/signup", new { username = "judy", password = "judy's password", plan = "team" });
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        var session = (await signUp.Content.ReadFromJsonAsync<SessionDto>())!;
        Assert.Null(session.Warning);
        var call = Assert.Single(_quota.Calls);
        Assert.Equal(("PUT", "/v1/users/acme/judy/plan"), (call.Method, call.Path));
        Assert.Equal("""{"plan":"team"}""", call.Body);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/me/plan", new { plan = "enterprise" })).StatusCode);
        Assert.Equal(2, _quota.Calls.Count);
        Assert.Equal("""{"plan":"enterprise"}""", _quota.Calls.Last().Body);
    }

    [Fact]
    public async Task When_the_quota_service_fails_sign_up_still_succeeds_but_a_plan_change_does_not()
    {
        _quota.Status = 500;
        var client = _factory.ClientFor("acme");
        var signUp = await client.PostAsJsonAsync("/api/auth/signup", new { username = "kim", password = "kim's password", plan = "enterprise" });
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        var session = (await signUp.Content.ReadFromJsonAsync<SessionDto>())!;
        Assert.NotNull(session.Warning);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        var change = await client.PutAsJsonAsync("/api/me/plan", new { plan = "personal" });
        Assert.Equal(HttpStatusCode.BadGateway, change.StatusCode);
        Assert.Contains("Your plan is still Enterprise", await change.Content.ReadAsStringAsync());
        Assert.Equal("enterprise", (await client.GetFromJsonAsync<MeDto>("/api/me"))!.User.Plan);

        var newcomer = _factory.ClientFor("acme");
        var browserSignUp = await newcomer.PostAsync("/signup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "lena", ["password"] = "lena's password", ["plan"] = "team",
        }));
        Assert.Equal("/?notice=plan-not-synced", browserSignUp.Headers.Location?.OriginalString);
        Assert.Contains("has not learned your plan yet", await (await newcomer.GetAsync("/?notice=plan-not-synced")).Content.ReadAsStringAsync());

        var browser = _factory.ClientFor("acme");
        await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "kim", ["password"] = "kim's password" }));
        var page = await browser.PostAsync("/plan", new FormUrlEncodedContent(new Dictionary<string, string> { ["plan"] = "team" }));
        Assert.Equal(HttpStatusCode.BadGateway, page.StatusCode);
        Assert.Contains("id=\"plan-error\"", await page.Content.ReadAsStringAsync());
    }
}

/// <summary>With demo data and a quota service, the demo users' plans reach the quota service at start-up.</summary>
public class DemoPlanSyncTests
{
    [Fact]
    public async Task The_demo_users_plans_are_sent_in_the_background()
    {
        await using var quota = await FakeQuotaService.StartAsync();
        using var factory = ImageHubFactory.With(new Dictionary<string, string?> { ["ImageHub:QuotaServiceUrl"] = quota.Url });
        factory.CreateClient();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (quota.Calls.Count < 6 && DateTime.UtcNow < deadline) await Task.Delay(50);

        var calls = quota.Calls.Select(c => (c.Path, JsonDocument.Parse(c.Body).RootElement.GetProperty("plan").GetString())).ToHashSet();
        Assert.Equal(6, calls.Count);
        foreach (var tenant in new[] { "acme", "globex" })
        {
            Assert.Contains(($"/v1/users/{tenant}/alice/plan", "personal"), calls);
            Assert.Contains(($"/v1/users/{tenant}/bob/plan", "team"), calls);
            Assert.Contains(($"/v1/users/{tenant}/carol/plan", "enterprise"), calls);
        }
    }
}
