using System.Text.RegularExpressions;
using ImageHub.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace ImageHub.E2E.Scenarios;

[Collection(LocalDeploymentCollection.Name)]
public sealed partial class PullLimitTests(DeploymentFixture fixture)
{
    [Fact]
    public Task Personal_pulls_count_down_from_9_to_0_and_the_11th_shows_the_limit_message() => fixture.RunAsync(async scenario =>
    {
        var bea = await scenario.OpenBrowserAsync("bea");
        await bea.SignUpAsync("acme", UniqueName.For("bea"), "personal");
        await bea.UploadAsync("acme", "Pull me", PngEncoder.Gradient(16, 16, blue: 1));
        var page = bea.Page;

        for (var expected = 9; expected >= 0; expected--)
        {
            var pull = await bea.PullAsync();
            Assert.Equal(200, pull.Status);
            Assert.Equal(10, HeaderAssert.IntHeader(pull, "x-ratelimit-limit"));
            Assert.Equal(expected, HeaderAssert.IntHeader(pull, "x-ratelimit-remaining"));
            Assert.InRange(HeaderAssert.IntHeader(pull, "x-ratelimit-reset"), 0, 60);
            Assert.Equal("acme", pull.Header("x-imagehub-tenant"));

            await Expect(page.Locator("#ratelimit-limit")).ToHaveTextAsync("10");
            await Expect(page.Locator("#ratelimit-remaining")).ToHaveTextAsync(expected.ToString());
            await Expect(page.Locator("#ratelimit-reset")).ToHaveTextAsync(pull.Header("x-ratelimit-reset") + " s");
            await Expect(page.Locator("#ratelimit-message")).ToHaveAttributeAsync("data-state", "ok");
            await Expect(page.Locator("#ratelimit-message")).ToHaveTextAsync($"Pulled. {expected} of 10 pulls left this minute.");
            await Expect(page.Locator("#pull-status")).ToHaveTextAsync(DownloadedBytes());
        }

        var refused = await bea.PullAsync();
        Assert.Equal(429, refused.Status);
        var retryAfter = HeaderAssert.IntHeader(refused, "retry-after");
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("0", refused.Header("x-ratelimit-remaining"));

        var message = page.Locator("#ratelimit-message");
        await Expect(message).ToHaveAttributeAsync("data-state", "limited");
        await Expect(message).ToHaveTextAsync(LimitReached());
        // The page counts down from the retry-after it received, one second at a time.
        var shown = int.Parse(LimitReached().Match(await message.TextContentAsync() ?? "").Groups[1].Value);
        Assert.InRange(shown, retryAfter - 3, retryAfter);
        await Expect(page.Locator("#ratelimit-remaining")).ToHaveTextAsync("0");
        await Expect(page.Locator("#pull-status")).ToHaveTextAsync("");
    });

    [GeneratedRegex(@"^Limit reached — try again in (\d+) s$")]
    private static partial Regex LimitReached();

    [GeneratedRegex(@"^Downloaded [\d,]+ bytes\.$")]
    private static partial Regex DownloadedBytes();
}
