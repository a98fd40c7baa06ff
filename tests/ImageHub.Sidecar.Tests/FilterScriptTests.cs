using System.Diagnostics;
using System.Text.Json;
using ImageHub.Sidecar.Tests.Support;

namespace ImageHub.Sidecar.Tests;

/// <summary>
/// <c>scripts/filter</c> against a running sidecar: each import option reaches the admin API as
/// the field it names, and a bad option or a refused import exits non-zero with the reason.
/// </summary>
[Collection("real wasm")]
public class FilterScriptTests : IAsyncLifetime
{
    private AddedFilterSidecar _sidecar = null!;
    private string _dir = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await AddedFilterSidecar.StartAsync();
        _dir = Directory.CreateTempSubdirectory("imagehub-filter-script-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(_dir, "conformance.wasm"), _sidecar.Conformance);
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(int ExitCode, string Output)> Run(params string[] arguments)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        info.ArgumentList.Add(Path.Combine(RepoPaths.Root(), "scripts", "filter"));
        info.ArgumentList.Add("--admin");
        info.ArgumentList.Add(_sidecar.Sidecar.Host.AdminUrl!.ToString());
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Import_sends_every_option_as_its_field()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "config.txt"), "from a file");
        var (exit, output) = await Run("import", "marker", "conformance.wasm", "--root-id", "headers", "--vm-id", "vm-1",
            "--config-file", "config.txt", "--fail-open", "--position", "before=multi-tenancy", "--listener", "test_ingress");
        Assert.True(exit == 0, output);
        Assert.Contains("from:          import (added at run time", output);
        Assert.Contains("chain:         test_ingress position 0", output);

        var filter = JsonDocument.Parse(await _sidecar.Admin.GetStringAsync("/filters/marker")).RootElement;
        Assert.Equal(("headers", "vm-1", true), (filter.GetProperty("rootId").GetString(), filter.GetProperty("vmId").GetString(), filter.GetProperty("failOpen").GetBoolean()));
        var dump = await _sidecar.Admin.GetStringAsync("/config_dump");
        Assert.Contains("from a file", dump);

        var (listExit, list) = await Run("list");
        Assert.True(listExit == 0, list);
        Assert.Matches(@"marker\s+import\s+test_ingress:0\s+\d\d:\d\d:\d\d\s+0\.2\.0", list);
        Assert.Matches(@"multi-tenancy\s+bootstrap\s+test_ingress:1\s+\d\d:\d\d:\d\d\s+0\.2\.0", list);
        Assert.StartsWith("NAME", list);
        Assert.All(list.TrimEnd().Split('\n'), line => Assert.True(line.Length <= 100, $"a line wider than 100 columns: {line}"));

        var (deleteExit, deleted) = await Run("delete", "marker");
        Assert.Equal((0, "filter marker removed from the chain\n"), (deleteExit, deleted));
    }

    [Fact]
    public async Task Config_text_goes_through_unchanged()
    {
        const string configuration = """{"header": "x-a; b=c", "list": ["@x", "<y"]}""";
        var (exit, output) = await Run("import", "marker", "conformance.wasm", "--root-id", "headers", "--config", configuration);
        Assert.True(exit == 0, output);
        Assert.Equal(configuration, _sidecar.Sidecar.Host.Filters.Find("marker")!.Config.Configuration);
    }

    [Fact]
    public async Task A_refused_import_exits_with_the_sidecars_reason()
    {
        var (exit, output) = await Run("import", "marker", "conformance.wasm", "--root-id", "headers", "--config", "x", "--position", "after=nope");
        Assert.Equal(1, exit);
        Assert.Contains("error (400): position after=nope: listener test_ingress has no wasm filter named \"nope\"", output);
        Assert.Null(_sidecar.Sidecar.Host.Filters.Find("marker"));
    }

    [Fact]
    public async Task Help_lists_the_options_and_a_bad_option_is_a_usage_error()
    {
        var (helpExit, help) = await Run("--help");
        Assert.Equal(0, helpExit);
        foreach (var option in new[] { "--root-id", "--vm-id", "--config", "--config-file", "--fail-open", "--position", "--listener" })
            Assert.Contains(option, help);

        var (exit, output) = await Run("import", "marker", "conformance.wasm", "--rootid", "headers");
        Assert.Equal(2, exit);
        Assert.Contains("unknown import option --rootid", output);
        Assert.Null(_sidecar.Sidecar.Host.Filters.Find("marker"));
    }
}
