using ImageHub.Filters.Tests.Support;
using ImageHub.ProxyWasm;
using ImageHub.ProxyWasm.Testing;
using ImageHub.Wasm;

namespace ImageHub.Filters.Tests;

/// <summary>
/// A sidecar runs a filter for millions of requests in one VM, so a request must give back every
/// byte it takes: the stream context, the host's buffers (the filters read header values and pairs
/// in place and free them themselves, filters/shared/host-bytes.ts), every string. Here each filter
/// gets a memory of 4 pages (256 KiB; the filters start in 1) and 20,000 requests of every kind it
/// answers. A leak of even 16 bytes a request outgrows that: the VM then traps, the host counts a
/// failure and rebuilds the replica, and the request fails, so the test sees it.
/// </summary>
public class LongRunMemoryTests
{
    private const int Requests = 20_000;

    private static readonly HarnessOptions SmallMemory = new()
    {
        Limits = new InstanceLimits { MaxMemoryPages = 4 },
        LogLevel = ImageHub.ProxyWasm.Abi.ProxyLogLevel.Info,
    };

    private static readonly (string, string)[] BrowserHeaders =
    [
        ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"),
        ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ("accept-language", "en-US,en;q=0.9"),
        ("accept-encoding", "gzip, deflate, br"),
        ("cookie", "theme=dark; _ga=GA1.1.123456789.1700000000"),
        ("x-request-id", "0b6f4a8e-3c1d-4f5e-9a7b-2c8d1e0f3a4b"),
    ];

    [Fact]
    public void Multi_tenancy_serves_many_requests_in_a_small_memory()
    {
        using var filter = FilterHarness.Load(BuiltFilters.MultiTenancy, TestFilters.TenancyPathPrefixConfiguration, SmallMemory);

        for (var i = 0; i < Requests; i++)
        {
            if (filter.Info.Failures > 0) AssertNoFailures(filter, i);
            switch (i % 4)
            {
                case 0: // a browser's request, with an identity header to strip
                    var page = filter.Request("GET", "/api/images", "ACME.localhost:8080", [.. BrowserHeaders, ("x-imagehub-user", "mallory")]);
                    page.SendResponseHeaders(200);
                    Assert.Equal("acme", page.ResponseHeaders["x-imagehub-tenant"]);
                    page.Complete();
                    break;
                case 1: // the tenant in the path
                    var prefixed = filter.Request("GET", "/t/globex/api/images?page=2", "localhost");
                    Assert.Equal("/api/images?page=2", prefixed.RequestHeaders[":path"]);
                    prefixed.SendResponseHeaders(200);
                    prefixed.Complete();
                    break;
                case 2: // nobody's: a local reply
                    AssertLocalReply(404, filter.Request("GET", "/", "unknown.localhost"));
                    break;
                default: // a non-ASCII host name takes the string path
                    AssertLocalReply(404, filter.Request("GET", "/", "bücher.localhost"));
                    break;
            }
        }

        AssertNoFailures(filter, Requests);
    }

    [Fact]
    public void Rate_limit_serves_many_requests_in_a_small_memory()
    {
        using var filter = FilterHarness.Load(BuiltFilters.RateLimit, TestFilters.RateLimitConfiguration(), SmallMemory);
        var token = filter.Now();

        for (var i = 0; i < Requests; i++)
        {
            if (filter.Info.Failures > 0) AssertNoFailures(filter, i);
            switch (i % 8)
            {
                case 0: // counted, signed in: the quota callout, then the limit headers
                    var pull = filter.Pull(token);
                    Assert.Single(filter.PendingCallouts).Respond(200, TestFilters.Allowed);
                    pull.SendResponseHeaders(200);
                    Assert.Equal("9", pull.ResponseHeaders["x-ratelimit-remaining"]);
                    pull.Complete();
                    break;
                case 1: // counted, no token
                    AssertLocalReply(401, filter.Pull(null));
                    break;
                case 2: // the counted path with another method
                    filter.Request("POST", "/api/images/42/pull", "acme.localhost", BrowserHeaders).Complete();
                    break;
                default: // not counted: a browser's request passes untouched
                    var page = filter.Request("GET", "/api/images/42?size=large", "acme.localhost", BrowserHeaders);
                    page.SendResponseHeaders(200);
                    Assert.Null(page.ResponseHeaders["x-ratelimit-limit"]);
                    page.Complete();
                    break;
            }
        }

        AssertNoFailures(filter, Requests);
    }

    private static void AssertLocalReply(int status, HttpExchange exchange)
    {
        Assert.Equal(status, exchange.LocalReply?.StatusCode);
        exchange.Complete();
    }

    private static void AssertNoFailures(FilterHarness filter, int requests)
    {
        Assert.True(filter.Info.Failures == 0, $"the filter failed within {requests} requests: " + string.Join("\n", filter.HostLogs.TakeLast(5)));
        Assert.Equal(0, filter.Info.ReplicaRebuilds);
        Assert.Equal(0, filter.Info.ActiveStreams);
    }
}
