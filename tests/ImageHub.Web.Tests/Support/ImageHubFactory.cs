using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageHub.Web.Apis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace ImageHub.Web.Tests.Support;

/// <summary>
/// The app in memory on its own temp data folder (deleted on dispose), with the demo data seeded.
/// Extra settings override configuration, e.g. <c>["ImageHub:MaxUploadBytes"] = "1024"</c>.
/// </summary>
public class ImageHubFactory : WebApplicationFactory<Program>
{
    private readonly bool _ownsDataDirectory;

    public ImageHubFactory() : this(null, null) { }

    /// <summary>An app with extra settings and, optionally, an existing data folder (which is then not deleted).</summary>
    public static ImageHubFactory With(IDictionary<string, string?>? settings, string? dataDirectory = null) => new(settings, dataDirectory);

    private ImageHubFactory(IDictionary<string, string?>? settings, string? dataDirectory)
    {
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? NewDataDirectory();
        Settings = new Dictionary<string, string?>
        {
            ["ImageHub:DataDirectory"] = DataDirectory,
            ["ImageHub:SeedDemoData"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) Settings[key] = value;
    }

    public string DataDirectory { get; }
    public Dictionary<string, string?> Settings { get; }

    public static string NewDataDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "imagehub-tests", Guid.NewGuid().ToString("N"))).FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>A client for <c>http://{tenant}.localhost</c> that keeps cookies and does not follow redirects.</summary>
    public HttpClient ClientFor(string tenant) => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri($"http://{tenant}.localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    });

    public async Task<HttpClient> SignedInClientAsync(string tenant, string username, string password = "imagehub-demo")
    {
        var client = ClientFor(tenant);
        var response = await client.PostAsJsonAsync("/api/auth/signin", new { username, password });
        response.EnsureSuccessStatusCode();
        var session = await response.Content.ReadFromJsonAsync<SessionDto>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session!.Token);
        return client;
    }

    public string[] BlobFiles() => Directory.EnumerateFiles(Path.Combine(DataDirectory, "blobs"), "*", SearchOption.AllDirectories).ToArray();

    public string SigningKey => File.ReadAllText(Path.Combine(DataDirectory, "signing-key.txt")).Trim();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataDirectory) DeleteDataDirectory(DataDirectory);
    }

    public static void DeleteDataDirectory(string directory)
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { /* best effort: a temp folder */ }
    }
}
