using System.Text;
using ImageHub.E2E.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageHub.E2E.Scenarios;

[Collection(LocalDeploymentCollection.Name)]
public sealed class SessionTests(DeploymentFixture fixture)
{
    private const string SessionCookie = "imagehub_session";

    [Fact]
    public Task A_tampered_session_cookie_ends_the_session_cleanly() => fixture.RunAsync(async scenario =>
    {
        var fay = await scenario.OpenBrowserAsync("fay");
        await fay.SignUpAsync("acme", UniqueName.For("fay"), "personal");
        var cookie = Assert.Single(await fay.Context.CookiesAsync(), c => c.Name == SessionCookie);

        // Promote ourselves to Enterprise in the token's claims, keeping the old signature.
        var tampered = WithPlanClaim(cookie.Value, "personal", "enterprise");
        await fay.Context.AddCookiesAsync([new Cookie
        {
            Name = SessionCookie, Value = tampered, Domain = cookie.Domain, Path = cookie.Path,
            HttpOnly = cookie.HttpOnly, SameSite = cookie.SameSite, Expires = cookie.Expires,
        }]);
        fay.ClearResponses();

        var answer = await fay.GotoAsync("acme", "/");
        var page = fay.Page;
        Assert.Equal(200, answer.Status);
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        await Expect(page.Locator("[data-testid=form-notice]")).ToContainTextAsync("Your session has ended");
        await Expect(page.Locator("#signin-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#user-name")).ToHaveCountAsync(0);
        Assert.DoesNotContain(await fay.Context.CookiesAsync(), c => c.Name == SessionCookie);

        // Signed out, not crashed: no server error on the way, no stack trace on the page.
        Assert.All(fay.Responses, r => Assert.True(r.Status < 500, $"{r} is a server error"));
        HeaderAssert.AllCarry(fay.Responses.Where(r => r.Url.Host == "acme.localhost"), "x-imagehub-tenant", "acme");
        var html = await page.ContentAsync();
        Assert.DoesNotContain("Exception", html);
        Assert.DoesNotContain("   at ", html);
    });

    private static string WithPlanClaim(string token, string from, string to)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var claims = Encoding.UTF8.GetString(Base64UrlDecode(parts[1]));
        Assert.Contains($"\"plan\":\"{from}\"", claims);
        parts[1] = Base64UrlEncode(Encoding.UTF8.GetBytes(claims.Replace($"\"plan\":\"{from}\"", $"\"plan\":\"{to}\"")));
        return string.Join('.', parts);
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
