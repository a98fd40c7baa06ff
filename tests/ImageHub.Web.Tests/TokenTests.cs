using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageHub.Web.Apis;
using ImageHub.Web.Tests.Support;

namespace ImageHub.Web.Tests;

/// <summary>Every kind of bad token is refused with 401 (API) or a clean sign-in page (browser).</summary>
public class TokenTests(ImageHubFactory factory) : IClassFixture<ImageHubFactory>
{
    private async Task<HttpResponseMessage> GetMeWith(string token, string tenant = "acme")
    {
        var client = factory.ClientFor(tenant);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/me");
    }

    private async Task<string> AliceToken()
    {
        var response = await factory.ClientFor("acme").PostAsJsonAsync("/api/auth/signin", new { username = "alice", password = "imagehub-demo" });
        return (await response.Content.ReadFromJsonAsync<SessionDto>())!.Token;
    }

    [Fact]
    public async Task A_token_built_from_the_contract_with_the_right_key_is_accepted()
    {
        // The positive control for the tests below: the same construction, only with a valid key and times.
        var token = TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Claims("alice", "acme", "personal", TestTokens.Now, TestTokens.Now + 60), factory.SigningKey);
        Assert.Equal(HttpStatusCode.OK, (await GetMeWith(token)).StatusCode);
    }

    [Fact]
    public async Task No_token_is_401()
    {
        var response = await factory.ClientFor("acme").GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var forged = TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Claims("alice", "acme", "enterprise", TestTokens.Now, TestTokens.Now + 600),
            "an-attacker-guessed-this-key-of-32-characters");
        var response = await GetMeWith(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("signature", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_with_a_changed_claim_is_401()
    {
        var parts = (await AliceToken()).Split('.');
        var upgraded = TestTokens.Encode(TestTokens.Claims("alice", "acme", "enterprise", TestTokens.Now, TestTokens.Now + 600, "Alice"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeWith(parts[0] + "." + upgraded + "." + parts[2])).StatusCode);
    }

    [Fact]
    public async Task A_token_with_a_changed_signature_is_401_including_non_canonical_base64url()
    {
        var token = await AliceToken();
        var last = token[^1];
        // Each other base64url letter at the end: either different bytes, or the same bytes spelled differently.
        foreach (var replacement in "AQgw_-".Where(c => c != last))
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeWith(token[..^1] + replacement)).StatusCode);
    }

    [Theory]
    [InlineData("""{"alg":"none","typ":"JWT"}""")]
    [InlineData("""{"alg":"None"}""")]
    [InlineData("""{"alg":"HS512","typ":"JWT"}""")]
    [InlineData("""{"typ":"JWT"}""")]
    public async Task A_token_with_another_algorithm_is_401(string header)
    {
        var claims = TestTokens.Claims("alice", "acme", "enterprise", TestTokens.Now, TestTokens.Now + 600);
        var unsigned = TestTokens.Encode(header) + "." + TestTokens.Encode(claims) + ".";
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeWith(unsigned)).StatusCode);
        // Even when signed with the real key, a header that is not HS256 is refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeWith(TestTokens.Sign(header, claims, factory.SigningKey))).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var expired = TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Claims("alice", "acme", "personal", TestTokens.Now - 7200, TestTokens.Now - 1), factory.SigningKey);
        var response = await GetMeWith(expired);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("a.b")]
    [InlineData("....")]
    public async Task Malformed_tokens_are_401(string token) =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeWith(token)).StatusCode);

    [Fact]
    public async Task A_token_missing_a_claim_or_naming_no_user_is_401()
    {
        var noExp = TestTokens.Sign(TestTokens.Hs256Header, """{"sub":"alice","tenant":"acme","plan":"personal","iat":1}""", factory.SigningKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeWith(noExp)).StatusCode);
        var ghost = TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Claims("ghost", "acme", "personal", TestTokens.Now, TestTokens.Now + 60), factory.SigningKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeWith(ghost)).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_token_is_403()
    {
        var globexToken = TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Claims("alice", "globex", "personal", TestTokens.Now, TestTokens.Now + 60), factory.SigningKey);
        Assert.Equal(HttpStatusCode.OK, (await GetMeWith(globexToken, "globex")).StatusCode);
        var response = await GetMeWith(globexToken, "acme");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("globex", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_tampered_cookie_ends_the_browser_session_cleanly()
    {
        var token = await AliceToken();
        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");
        var browser = factory.ClientFor("acme");
        var request = new HttpRequestMessage(HttpMethod.Get, "/images/anything");
        request.Headers.Add("Cookie", "imagehub_session=" + tampered);
        var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin?ended=1", response.Headers.Location?.OriginalString);
        var cleared = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("imagehub_session=;", cleared);

        var signInPage = await browser.GetAsync(response.Headers.Location!.OriginalString);
        var html = await signInPage.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, signInPage.StatusCode);
        Assert.Contains("Your session has ended", html);
        Assert.Contains("id=\"signin-form\"", html);
        Assert.DoesNotContain("Exception", html);
    }
}
