using System.Text.Json;
using ImageHub.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace ImageHub.E2E.Scenarios;

[Collection(LocalDeploymentCollection.Name)]
public sealed class TenantIsolationTests(DeploymentFixture fixture)
{
    [Fact]
    public Task A_globex_user_opening_an_acme_image_id_gets_the_not_found_page() => fixture.RunAsync(async scenario =>
    {
        var acmeUser = await scenario.OpenBrowserAsync("acme-dan");
        await acmeUser.SignUpAsync("acme", UniqueName.For("dan"), "personal");
        var id = await acmeUser.UploadAsync("acme", "Acme only", PngEncoder.Gradient(12, 12, blue: 3));

        var globexUser = await scenario.OpenBrowserAsync("globex-eve");
        await globexUser.SignUpAsync("globex", UniqueName.For("eve"), "personal");
        var answer = await globexUser.GotoAsync("globex", $"/images/{id}");

        Assert.Equal(404, answer.Status);
        Assert.Equal("globex", answer.Header("x-imagehub-tenant"));
        var page = globexUser.Page;
        await Expect(page.Locator("[data-testid=error-page]")).ToBeVisibleAsync();
        await Expect(page.Locator("#error-title")).ToHaveTextAsync("No such image");
        await Expect(page.Locator("#tenant-name")).ToHaveAttributeAsync("data-tenant", "globex");
        await Expect(page.Locator("#image-preview")).ToHaveCountAsync(0);
        await Expect(page.GetByText("Acme only")).ToHaveCountAsync(0);

        // The bytes are not reachable either, even with the id in hand.
        var content = await globexUser.GotoAsync("globex", $"/api/images/{id}/content");
        Assert.Equal(404, content.Status);
    });

    [Fact]
    public Task An_unknown_tenant_host_gets_the_filters_unknown_tenant_answer() => fixture.RunAsync(async scenario =>
    {
        var visitor = await scenario.OpenBrowserAsync("visitor");
        var answer = await visitor.GotoAsync("initech", "/");

        // The multi-tenancy filter answers before the app is asked: a JSON 404, which is what a
        // person sees in the browser too.
        Assert.Equal(404, answer.Status);
        Assert.StartsWith("application/json", answer.Header("content-type"));
        Assert.Null(answer.Header("x-imagehub-tenant"));
        var body = await visitor.Page.Locator("body").InnerTextAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("unknown_tenant", json.RootElement.GetProperty("error").GetString());
        await Expect(visitor.Page.Locator("#signin-form")).ToHaveCountAsync(0);
    });
}
