using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageHub.Web.Tests.Support;

/// <summary>
/// A real HTTP listener on a loopback port that records what the app sends to the quota service
/// and answers with a configurable status.
/// </summary>
public sealed class FakeQuotaService : IAsyncDisposable
{
    private readonly WebApplication _app;

    public sealed record Call(string Method, string Path, string ContentType, string Body);

    public ConcurrentQueue<Call> Calls { get; } = new();
    public int Status { get; set; } = StatusCodes.Status200OK;
    public string Url { get; }

    private FakeQuotaService(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<FakeQuotaService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeQuotaService? self = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            self!.Calls.Enqueue(new Call(context.Request.Method, context.Request.Path, context.Request.ContentType ?? "", await reader.ReadToEndAsync()));
            context.Response.StatusCode = self.Status;
            await context.Response.WriteAsync("{}");
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeQuotaService(app, url);
        return self;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
