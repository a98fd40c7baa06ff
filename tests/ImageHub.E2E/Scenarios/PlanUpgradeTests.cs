using ImageHub.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace ImageHub.E2E.Scenarios;

[Collection(LocalDeploymentCollection.Name)]
public sealed class PlanUpgradeTests(DeploymentFixture fixture)
{
    [Fact]
    public Task Upgrading_to_Team_after_the_limit_lets_pulls_through_with_limit_100() => fixture.RunAsync(async scenario =>
    {
        var cem = await scenario.OpenBrowserAsync("cem");
        await cem.SignUpAsync("acme", UniqueName.For("cem"), "personal");
        var id = await cem.UploadAsync("acme", "Upgrade me", PngEncoder.Gradient(20, 10, blue: 2));

        for (var i = 0; i < 10; i++) Assert.Equal(200, (await cem.PullAsync()).Status);
        Assert.Equal(429, (await cem.PullAsync()).Status);
        await Expect(cem.Page.Locator("#ratelimit-message")).ToHaveAttributeAsync("data-state", "limited");

        await cem.ChoosePlanAsync("acme", "team");
        await Expect(cem.Page.Locator("[data-testid=plan-card][data-plan=team] [data-testid=current-plan]")).ToBeVisibleAsync();

        await cem.GotoAsync("acme", $"/images/{id}");
        await Expect(cem.Page.Locator("#ratelimit-plan")).ToHaveAttributeAsync("data-plan", "team");
        var pull = await cem.PullAsync();
        Assert.Equal(200, pull.Status);
        Assert.Equal(100, HeaderAssert.IntHeader(pull, "x-ratelimit-limit"));
        // The pulls of this minute still count against the new limit: below 100, far from 0.
        var remaining = HeaderAssert.IntHeader(pull, "x-ratelimit-remaining");
        Assert.InRange(remaining, 80, 89);
        await Expect(cem.Page.Locator("#ratelimit-limit")).ToHaveTextAsync("100");
        await Expect(cem.Page.Locator("#ratelimit-remaining")).ToHaveTextAsync(remaining.ToString());
        await Expect(cem.Page.Locator("#ratelimit-message")).ToHaveAttributeAsync("data-state", "ok");
    });
}
