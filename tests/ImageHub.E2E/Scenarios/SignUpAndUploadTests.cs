using ImageHub.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace ImageHub.E2E.Scenarios;

[Collection(LocalDeploymentCollection.Name)]
public sealed class SignUpAndUploadTests(DeploymentFixture fixture)
{
    [Fact]
    public Task Personal_user_signs_up_on_acme_uploads_an_image_and_sees_it_in_the_gallery() => fixture.RunAsync(async scenario =>
    {
        var ann = await scenario.OpenBrowserAsync("ann");
        var username = UniqueName.For("ann");

        await ann.SignUpAsync("acme", username, "personal");
        await Expect(ann.Page.Locator("#tenant-name")).ToHaveAttributeAsync("data-tenant", "acme");
        await Expect(ann.Page.Locator("#plan-name")).ToHaveTextAsync("Personal");

        var id = await ann.UploadAsync("acme", "Harbour at dawn", PngEncoder.Gradient(48, 32));
        await Expect(ann.Page.Locator("#image-dimensions")).ToHaveTextAsync("48 × 32 px");
        await Expect(ann.Page.Locator("#image-owner")).ToHaveTextAsync(username);

        await ann.GotoAsync("acme", "/");
        var card = ann.Page.Locator($"[data-testid=image-card][data-image-id='{id}']");
        await Expect(card).ToContainTextAsync("Harbour at dawn");
        await Expect(card).ToContainTextAsync("48 × 32");

        // Every answer the browser got from acme's host came through the multi-tenancy filter:
        // the sign-up and upload posts, their redirects' targets, pages, assets and the image bytes.
        var responses = ann.Responses.Where(r => r.Url.Host == "acme.localhost").ToList();
        Assert.Contains(responses, r => r.Method == "POST" && r.Url.AbsolutePath == "/signup");
        Assert.Contains(responses, r => r.Method == "POST" && r.Url.AbsolutePath == "/images");
        Assert.Contains(responses, r => r.Url.AbsolutePath == $"/api/images/{id}/content" && r.Status == 200
            && r.Header("content-type") == "image/png");
        HeaderAssert.AllCarry(responses, "x-imagehub-tenant", "acme");
    });
}
