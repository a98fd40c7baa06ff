using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageHub.Web.Apis;
using ImageHub.Web.Tests.Support;
using Microsoft.Extensions.Options;

namespace ImageHub.Web.Tests;

public class ConfigurationTests
{
    [Fact]
    public void A_signing_key_shorter_than_32_characters_stops_the_app_with_a_clear_message()
    {
        using var factory = ImageHubFactory.With(new Dictionary<string, string?> { ["ImageHub:Auth:SigningKey"] = "too-short-a-secret" });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains("ImageHub:Auth:SigningKey must be at least 32 characters (it has 18)", validation.Message);
    }

    [Fact]
    public async Task A_configured_signing_key_signs_the_tokens_and_no_key_file_is_written()
    {
        const string key = "a-configured-secret-that-is-long-enough-0123456789";
        using var factory = ImageHubFactory.With(new Dictionary<string, string?> { ["ImageHub:Auth:SigningKey"] = key });
        var client = factory.ClientFor("acme");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Claims("bob", "acme", "team", TestTokens.Now, TestTokens.Now + 60), key));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "signing-key.txt")));
    }

    [Fact]
    public async Task Without_a_configured_key_one_is_generated_once_and_kept_private()
    {
        var dataDirectory = ImageHubFactory.NewDataDirectory();
        try
        {
            string firstKey;
            using (var first = ImageHubFactory.With(null, dataDirectory))
            {
                first.CreateClient();
                firstKey = first.SigningKey;
            }
            Assert.True(firstKey.Length >= 32);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDirectory, "signing-key.txt")));
            using var second = ImageHubFactory.With(null, dataDirectory);
            second.CreateClient();
            Assert.Equal(firstKey, second.SigningKey);
            await Task.CompletedTask;
        }
        finally
        {
            ImageHubFactory.DeleteDataDirectory(dataDirectory);
        }
    }

    [Fact]
    public async Task Tenants_can_be_created_from_configuration()
    {
        using var factory = ImageHubFactory.With(new Dictionary<string, string?>
        {
            ["ImageHub:SeedDemoData"] = "false",
            ["ImageHub:Tenants:0:Slug"] = "initech",
            ["ImageHub:Tenants:0:Name"] = "Initech",
        });
        var client = factory.ClientFor("initech");
        var signUp = await client.PostAsJsonAsync("/api/auth/signup", new { username = "peter", password = "tps reports" });
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await signUp.Content.ReadFromJsonAsync<SessionDto>())!.Token);
        var me = await client.GetFromJsonAsync<MeDto>("/api/me");
        Assert.Equal("Initech", me!.Tenant.Name);
        Assert.Equal("personal", me.Plan.Id);
        // Without the demo seed, acme does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await factory.ClientFor("acme").GetAsync("/signin")).StatusCode);
    }

    [Fact]
    public void An_invalid_tenant_slug_in_configuration_stops_the_app()
    {
        using var factory = ImageHubFactory.With(new Dictionary<string, string?> { ["ImageHub:Tenants:0:Slug"] = "Not A Slug" });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("'Not A Slug' is not a valid tenant slug", error.ToString());
    }
}

public class CrossOriginTests(ImageHubFactory factory) : IClassFixture<ImageHubFactory>
{
    [Fact]
    public async Task A_form_post_from_another_origin_is_refused_and_changes_nothing()
    {
        var browser = factory.ClientFor("acme");
        await UploadTests.SignInBrowser(browser, "alice");
        var request = new HttpRequestMessage(HttpMethod.Post, "/plan")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["plan"] = "enterprise" }),
        };
        request.Headers.Add("Origin", "http://globex.localhost");
        var response = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Cross-origin request refused", await response.Content.ReadAsStringAsync());

        var sameOrigin = new HttpRequestMessage(HttpMethod.Post, "/plan")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["plan"] = "team" }),
        };
        sameOrigin.Headers.Add("Origin", "http://acme.localhost");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SendAsync(sameOrigin)).StatusCode);
        var page = await (await browser.GetAsync("/plan")).Content.ReadAsStringAsync();
        Assert.Contains("data-plan=\"team\"", page);
        Assert.DoesNotContain("data-plan=\"enterprise\">Enterprise</a>", page);
    }
}
