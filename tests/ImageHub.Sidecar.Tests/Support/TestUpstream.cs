using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Tests.Support;

/// <summary>A real Kestrel upstream on a loopback port: echoes what it received, or sleeps, or streams.</summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestUpstream(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Lets a /stream response send its last chunk.</summary>
    public TaskCompletionSource ReleaseStream { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<TestUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        TestUpstream? self = null;
        app.MapGet("/slow", async (int ms, CancellationToken ct) =>
        {
            await Task.Delay(ms, ct);
            return Results.Text("slow done");
        });
        app.MapGet("/stream", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("first-chunk\n");
            await context.Response.Body.FlushAsync();
            await self!.ReleaseStream.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await context.Response.WriteAsync("last-chunk\n");
        });
        app.MapGet("/hop", (HttpContext context) =>
        {
            context.Response.Headers["x-upstream-private"] = "secret";
            context.Response.Headers.Connection = "x-upstream-private";
            context.Response.Headers["keep-alive"] = "timeout=5";
            return Results.Text("hop");
        });
        // Everything else echoes the request as JSON.
        app.MapFallback(async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var echo = new EchoedRequest(
                context.Request.Method,
                $"{context.Request.Path}{context.Request.QueryString}",
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                body);
            context.Response.Headers["x-upstream"] = "test";
            await context.Response.WriteAsJsonAsync(echo);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new TestUpstream(app, new Uri(address).Port);
        return self;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

public sealed record EchoedRequest(string Method, string Path, Dictionary<string, string> Headers, string Body)
{
    public static async Task<EchoedRequest> ReadAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<EchoedRequest>(await response.Content.ReadAsStringAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
}
