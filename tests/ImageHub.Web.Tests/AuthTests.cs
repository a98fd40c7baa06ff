using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ImageHub.Web.Apis;
using ImageHub.Web.Tests.Support;

namespace ImageHub.Web.Tests;

public class AuthTests(ImageHubFactory factory) : IClassFixture<ImageHubFactory>
{
    [Fact]
    public async Task Sign_up_returns_a_token_that_opens_the_api()
    {
        var client = factory.ClientFor("acme");
        var response = await client.PostAsJsonAsync("/api/auth/signup",
            new { username = "dora", password = "correct horse", plan = "team", displayName = "Dora D." });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = (await response.Content.ReadFromJsonAsync<SessionDto>())!;
        Assert.Equal("team", session.Plan.Id);
        Assert.Equal(100, session.Plan.LimitPerMinute);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        var me = (await client.GetFromJsonAsync<MeDto>("/api/me"))!;
        Assert.Equal("dora", me.User.Username);
        Assert.Equal("Dora D.", me.User.DisplayName);
        Assert.Equal("acme", me.Tenant.Slug);
        Assert.Equal("Acme Corp", me.Tenant.Name);
    }

    [Fact]
    public async Task The_token_has_exactly_the_contract_claims()
    {
        var client = factory.ClientFor("globex");
        var response = await client.PostAsJsonAsync("/api/auth/signin", new { username = "carol", password = "imagehub-demo" });
        var token = (await response.Content.ReadFromJsonAsync<SessionDto>())!.Token;
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonDocument.Parse(Decode(parts[0])).RootElement;
        Assert.Equal("HS256", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        var claims = JsonDocument.Parse(Decode(parts[1])).RootElement;
        Assert.Equal(["sub", "name", "tenant", "plan", "iat", "exp"], claims.EnumerateObject().Select(p => p.Name));
        Assert.Equal("carol", claims.GetProperty("sub").GetString());
        Assert.Equal("Carol", claims.GetProperty("name").GetString());
        Assert.Equal("globex", claims.GetProperty("tenant").GetString());
        Assert.Equal("enterprise", claims.GetProperty("plan").GetString());
        Assert.True(claims.GetProperty("exp").GetInt64() > claims.GetProperty("iat").GetInt64());
        // Re-signing the same two parts with the key from the data folder must give the same token.
        Assert.Equal(token, TestTokens.Sign(System.Text.Encoding.UTF8.GetString(Decode(parts[0])),
            System.Text.Encoding.UTF8.GetString(Decode(parts[1])), factory.SigningKey));
    }

    [Theory]
    [InlineData("Al", "3 to 32")]
    [InlineData("Alice", "lowercase")]
    [InlineData("al ice", "may only contain")]
    [InlineData("../etc", "may only contain")]
    [InlineData("", "Choose a username")]
    public async Task Bad_usernames_are_refused_with_a_clear_message(string username, string expected)
    {
        var response = await factory.ClientFor("acme").PostAsJsonAsync("/api/auth/signup", new { username, password = "long enough", plan = "personal" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Short_passwords_unknown_plans_and_taken_names_are_refused()
    {
        var client = factory.ClientFor("acme");
        var shortPassword = await client.PostAsJsonAsync("/api/auth/signup", new { username = "erin", password = "short", plan = "team" });
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);
        Assert.Contains("at least 8", await shortPassword.Content.ReadAsStringAsync());

        var unknownPlan = await client.PostAsJsonAsync("/api/auth/signup", new { username = "erin", password = "long enough", plan = "platinum" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownPlan.StatusCode);
        Assert.Contains("personal, team, enterprise", await unknownPlan.Content.ReadAsStringAsync());

        var taken = await client.PostAsJsonAsync("/api/auth/signup", new { username = "alice", password = "long enough", plan = "team" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);

        // None of the refused sign-ups left an account behind.
        var signIn = await client.PostAsJsonAsync("/api/auth/signin", new { username = "erin", password = "long enough" });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task The_same_username_may_exist_in_two_tenants()
    {
        var acme = await factory.ClientFor("acme").PostAsJsonAsync("/api/auth/signup", new { username = "frank", password = "acme password" });
        var globex = await factory.ClientFor("globex").PostAsJsonAsync("/api/auth/signup", new { username = "frank", password = "globex password" });
        Assert.Equal(HttpStatusCode.Created, acme.StatusCode);
        Assert.Equal(HttpStatusCode.Created, globex.StatusCode);
        var wrongTenantPassword = await factory.ClientFor("globex").PostAsJsonAsync("/api/auth/signin", new { username = "frank", password = "acme password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrongTenantPassword.StatusCode);
    }

    [Fact]
    public async Task Sign_in_with_a_wrong_password_or_unknown_user_is_401_with_the_same_message()
    {
        var client = factory.ClientFor("acme");
        var wrong = await client.PostAsJsonAsync("/api/auth/signin", new { username = "alice", password = "not-the-password" });
        var unknown = await client.PostAsJsonAsync("/api/auth/signin", new { username = "nobody", password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Contains("Wrong username or password", await wrong.Content.ReadAsStringAsync());
        Assert.Contains("Wrong username or password", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Browser_sign_up_sign_out_and_sign_in_with_the_cookie()
    {
        var browser = factory.ClientFor("acme");
        Assert.Equal("/signin", (await browser.GetAsync("/")).Headers.Location?.OriginalString);

        var signUp = await browser.PostAsync("/signup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "gina", ["password"] = "gina's password", ["plan"] = "enterprise",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signUp.StatusCode);
        var cookie = Assert.Single(signUp.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("imagehub_session=", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);

        var gallery = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, gallery.StatusCode);
        var html = await gallery.Content.ReadAsStringAsync();
        Assert.Contains("id=\"plan-name\"", html);
        Assert.Contains(">Enterprise<", html);
        Assert.Contains("data-tenant=\"acme\"", html);

        var signOut = await browser.PostAsync("/signout", null);
        Assert.Equal("/signin", signOut.Headers.Location?.OriginalString);
        Assert.Equal("/signin", (await browser.GetAsync("/")).Headers.Location?.OriginalString);

        var signIn = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "gina", ["password"] = "gina's password", ["returnUrl"] = "/plan",
        }));
        Assert.Equal("/plan", signIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/plan")).StatusCode);
        Assert.Equal("/", (await browser.GetAsync("/signin")).Headers.Location?.OriginalString); // already signed in
    }

    [Fact]
    public async Task Browser_sign_in_failure_rerenders_the_form_and_ignores_foreign_return_urls()
    {
        var browser = factory.ClientFor("acme");
        var failed = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "alice", ["password"] = "wrong password",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        Assert.Contains("Wrong username or password", await failed.Content.ReadAsStringAsync());
        Assert.False(failed.Headers.Contains("Set-Cookie"));

        var signIn = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "alice", ["password"] = "imagehub-demo", ["returnUrl"] = "//evil.example/",
        }));
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Signing_out_through_the_api_clears_the_cookie()
    {
        var response = await factory.ClientFor("acme").PostAsync("/api/auth/signout", null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("imagehub_session=;", cookie);
        Assert.Contains("expires=Thu, 01 Jan 1970", cookie);
    }

    private static byte[] Decode(string segment) =>
        Convert.FromBase64String(segment.Replace('-', '+').Replace('_', '/').PadRight((segment.Length + 3) / 4 * 4, '='));
}
