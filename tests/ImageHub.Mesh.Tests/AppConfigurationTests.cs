using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>The settings compose gives the apps bind to their options classes (a renamed key would be ignored silently).</summary>
public class AppConfigurationTests
{
    public static TheoryData<string, string> AppServices => new()
    {
        { "imagehub", "apps/ImageHub" },
        { "quota", "apps/QuotaService" },
    };

    [Theory]
    [MemberData(nameof(AppServices))]
    public void Every_app_setting_in_compose_binds_to_an_options_property(string service, string appFolder)
    {
        var options = new OptionsSource(Repo.Path(appFolder));
        var settings = Compose.Load().Service(service)["environment"]!.AsObject()
            .Select(e => e.Key).Where(k => k.Contains("__") && !k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(settings);
        var unbound = settings.Select(k => (Key: k, Problem: options.Unbound(k.Replace("__", ":")))).Where(k => k.Problem is not null).ToList();
        Assert.True(unbound.Count == 0, string.Join("\n", unbound.Select(u => $"{service}: {u.Key}: {u.Problem}")));
    }

    [Fact]
    public void A_renamed_setting_is_reported()
    {
        var options = new OptionsSource(Repo.Path("apps/ImageHub"));
        Assert.Null(options.Unbound("ImageHub:Auth:SigningKey"));
        Assert.Equal("AuthOptions has no settable property SigningSecret", options.Unbound("ImageHub:Auth:SigningSecret"));
        Assert.StartsWith("no options class declares the section", options.Unbound("Imagehub2:DataDirectory"));
    }
}
