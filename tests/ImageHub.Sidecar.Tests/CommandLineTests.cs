using ImageHub.Sidecar.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Tests;

public class CommandLineTests
{
    [Fact]
    public void Reads_envoy_style_flags()
    {
        var options = SidecarCommandLine.Parse(["-c", "b.yaml", "--log-level", "warn", "--concurrency=3", "--admin-address-path", "a.txt", "--mode", "validate"], out var error);
        Assert.Null(error);
        Assert.Equal("b.yaml", options!.ConfigPath);
        Assert.Equal(LogLevel.Warning, options.LogLevel);
        Assert.Equal(3, options.Concurrency);
        Assert.Equal("a.txt", options.AdminAddressPath);
        Assert.Equal(SidecarMode.Validate, options.Mode);
        Assert.True(options.HotReload);
    }

    [Theory]
    [InlineData(new string[0], "-c/--config-path is required")]
    [InlineData(new[] { "-c" }, "-c needs a value")]
    [InlineData(new[] { "-c", "b.yaml", "--concurrency", "0" }, "--concurrency must be a number from 1 to 256")]
    [InlineData(new[] { "-c", "b.yaml", "--log-level", "loud" }, "--log-level must be")]
    [InlineData(new[] { "-c", "b.yaml", "--frobnicate" }, "unknown argument \"--frobnicate\"")]
    public void Bad_flags_say_what_is_wrong(string[] args, string expected)
    {
        Assert.Null(SidecarCommandLine.Parse(args, out var error));
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void Help_is_not_an_error()
    {
        Assert.Null(SidecarCommandLine.Parse(["--help"], out var error));
        Assert.Equal("", error);
    }
}
