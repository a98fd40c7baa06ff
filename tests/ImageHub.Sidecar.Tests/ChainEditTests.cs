using System.Net;
using ImageHub.Sidecar.Tests.Support;

namespace ImageHub.Sidecar.Tests;

/// <summary>
/// The chain swap itself, with scripted stand-ins for the host (one-line "modules"): a request in
/// flight keeps the chain it started with while filters are added and removed around it.
/// </summary>
public class ChainEditTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;
    private readonly ScriptedFilterLoader _loader = new();

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private async Task<RunningSidecar> Start(string script)
    {
        var path = TestBootstrap.WriteTemp(TestBootstrap.Yaml(_upstream.Port, httpFilters: TestBootstrap.WasmFilter("f0", "f0.wasm")));
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(path)!, "f0.wasm"), script);
        return await RunningSidecar.StartFileAsync(path, _loader);
    }

    private static async Task WaitForLease(RunningSidecar sidecar, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sidecar.Host.Filters.Find(name)!.Current!.ActiveStreams == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
    }

    [Fact]
    public async Task A_request_in_flight_keeps_its_chain_when_a_filter_is_added()
    {
        await using var sidecar = await Start("gate old");
        var inFlight = sidecar.Client.GetAsync("/echo");
        await WaitForLease(sidecar, "f0");

        using var added = await sidecar.Admin.PostAsync("/filters/late", new ByteArrayContent("tag new"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        _loader.Gate.SetResult();
        using var finished = await inFlight;
        Assert.Equal("f0:old", (await EchoedRequest.ReadAsync(finished)).Headers["x-seen-by"]);
        using var next = await sidecar.Client.GetAsync("/echo");
        Assert.Equal("f0:old, late:new", (await EchoedRequest.ReadAsync(next)).Headers["x-seen-by"]);
    }

    [Fact]
    public async Task A_request_in_flight_finishes_on_a_filter_that_is_removed_meanwhile()
    {
        await using var sidecar = await Start("tag first");
        using (var added = await sidecar.Admin.PostAsync("/filters/held?position=first", new ByteArrayContent("gate held"u8.ToArray())))
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var held = _loader.Loaded.Single(f => f.Name == "held");
        var inFlight = sidecar.Client.GetAsync("/echo");
        await WaitForLease(sidecar, "held");

        using (var deleted = await sidecar.Admin.DeleteAsync("/filters/held"))
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.False(held.Disposed);
        Assert.Equal(["f0"], sidecar.Host.Listeners[0].Filters.Select(f => f.Name));

        _loader.Gate.SetResult();
        using var finished = await inFlight;
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Equal("held:held, f0:first", (await EchoedRequest.ReadAsync(finished)).Headers["x-seen-by"]);
        Assert.True(held.Disposed);
        using var next = await sidecar.Client.GetAsync("/echo");
        Assert.Equal("f0:first", (await EchoedRequest.ReadAsync(next)).Headers["x-seen-by"]);
    }

    [Fact]
    public async Task Concurrent_adds_of_one_name_add_it_once()
    {
        await using var sidecar = await Start("tag first");
        var posts = Enumerable.Range(0, 8).Select(i => sidecar.Admin.PostAsync("/filters/twin?position=first", new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"tag {i}")))).ToList();
        var statuses = (await Task.WhenAll(posts)).Select(r => r.StatusCode).ToList();

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(["twin", "f0"], sidecar.Host.Listeners[0].Filters.Select(f => f.Name));
    }
}
