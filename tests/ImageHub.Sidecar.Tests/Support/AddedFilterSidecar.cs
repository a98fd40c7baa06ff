namespace ImageHub.Sidecar.Tests.Support;

/// <summary>
/// A sidecar whose bootstrap runs the real multi-tenancy filter (tenant acme on acme.localhost)
/// in front of a test upstream, with the host's conformance module next to the bootstrap as
/// <c>conformance.wasm</c>: the module the tests add to the running chain under various root ids.
/// </summary>
public sealed class AddedFilterSidecar : IAsyncDisposable
{
    public const string Tenancy = """{"tenants": [{"id": "acme", "hosts": ["acme.localhost"]}]}""";

    private AddedFilterSidecar(TestUpstream upstream, RunningSidecar sidecar, byte[] conformance)
    {
        Upstream = upstream;
        Sidecar = sidecar;
        Conformance = conformance;
    }

    public TestUpstream Upstream { get; }
    public RunningSidecar Sidecar { get; }
    public HttpClient Admin => Sidecar.Admin;

    /// <summary>The conformance module's bytes (root ids "local-reply", "headers", "lifecycle", ...).</summary>
    public byte[] Conformance { get; }

    public static async Task<AddedFilterSidecar> StartAsync(Microsoft.Extensions.Logging.ILoggerFactory? logging = null)
    {
        var tenancy = RepoPaths.BuiltWasm("filters/multi-tenancy/build/multi-tenancy.wasm");
        var conformance = RepoPaths.BuiltWasm(RepoPaths.ConformanceFilter);
        var upstream = await TestUpstream.StartAsync();
        var dir = Path.GetDirectoryName(TestBootstrap.WriteTemp("", "placeholder"))!;
        File.Copy(tenancy, Path.Combine(dir, "multi-tenancy.wasm"));
        File.Copy(conformance, Path.Combine(dir, "conformance.wasm"));
        var path = Path.Combine(dir, "bootstrap.yaml");
        File.WriteAllText(path, TestBootstrap.Yaml(upstream.Port,
            httpFilters: TestBootstrap.WasmFilter("multi-tenancy", "multi-tenancy.wasm", configuration: Tenancy, rootId: "multi_tenancy")));
        // Round robin: some tests count on which of the two replicas a request lands on.
        var sidecar = await RunningSidecar.StartWithHostAsync(path, logging: logging, replicaChoice: ImageHub.ProxyWasm.ReplicaChoice.RoundRobin);
        return new AddedFilterSidecar(upstream, sidecar, File.ReadAllBytes(conformance));
    }

    /// <summary>GET <paramref name="path"/> on the listener with the given Host.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string host = "acme.localhost")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return await Sidecar.Client.SendAsync(request);
    }

    /// <summary>
    /// POST /filters/{name}?{query} with the module as the raw body. The conformance roots read
    /// their configuration through the AssemblyScript SDK's own onConfigure, which passes the
    /// configuration's size where the size *pointer* belongs; with an empty configuration the
    /// host (answering a zero-length read as proxy-wasm-cpp-host does: zeros written through both
    /// pointers) writes at address 0 and the module traps. So a configuration is always sent.
    /// </summary>
    public Task<HttpResponseMessage> PostModuleAsync(string name, string query, byte[]? module = null)
    {
        if (!query.Contains("configuration=", StringComparison.Ordinal)) query += "&configuration=conformance";
        return Admin.PostAsync($"/filters/{name}?{query}", new ByteArrayContent(module ?? Conformance));
    }

    /// <summary>Asserts the admin API's status, showing its error when it differs.</summary>
    public static async Task ExpectStatus(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"expected {(int)expected} {expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        await Sidecar.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
