using System.Net;
using System.Net.Http.Json;
using System.Text;
using ImageHub.Quota;
using ImageHub.Quota.Bench;
using ImageHub.Quota.Plans;
using ImageHub.Quota.Redis;
using ImageHub.Quota.Store;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

Console.WriteLine($"quota benchmark: {options.Clients} concurrent clients, {options.Duration.TotalSeconds:0} s per case " +
                  $"(after {options.Warmup.TotalSeconds:0} s warm-up), {options.Users} users on the default plan, " +
                  $"{Environment.ProcessorCount} cores, loopback only");
if (File.Exists("/proc/loadavg"))
    Console.WriteLine($"load average before the run (other work on this machine skews the numbers): {File.ReadAllText("/proc/loadavg").Trim()}");

using var redis = new LocalRedis();
var cpu = new CpuMeter(redis.ProcessId);
var plans = new PlanCatalog(new QuotaOptions());
var results = new List<LoadResult>();

foreach (var name in options.Cases)
{
    Console.Write($"  running {name} ...");
    var result = name switch
    {
        "store-memory" => await StoreCase(name, new InMemoryQuotaStore(plans, TimeProvider.System)),
        "store-redis" => await RedisStoreCase(name),
        "http-memory" => await HttpCase(name, redisConnection: null),
        "http-redis" => await HttpCase(name, redis.ConnectionString),
        _ => throw new InvalidOperationException(name),
    };
    Console.WriteLine($" {result.PerSecond:N0} decisions/s");
    results.Add(result);
    await Task.Delay(500); // let the previous case's connections and garbage settle
}

Console.WriteLine();
Console.WriteLine("| case | decisions/s | p50 ms | p99 ms | max ms | allowed | errors | CPU µs/decision: bench process | redis-server |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var r in results)
{
    var allowed = r.Allowed < 0 ? "-" : $"{100.0 * r.Allowed / Math.Max(1, r.Decisions):0}%";
    Console.WriteLine($"| {r.Case} | {r.PerSecond:N0} | {r.P50Ms:0.000} | {r.P99Ms:0.000} | {r.MaxMs:0.0} | {allowed} | {r.Errors} | {r.ProcessCpuMicroseconds:0.0} | {r.RedisCpuMicroseconds:0.0} |");
}
Console.WriteLine();
Console.WriteLine("goal: >= 20,000 decisions/s with p99 <= 2 ms");
Console.WriteLine("CPU µs/decision: the bench process is the client for store cases and the service (Kestrel) for wrk cases;");
Console.WriteLine("wrk's own CPU is not counted. It depends less than decisions/s on what else the machine runs, but spin-waiting");
Console.WriteLine("threads and JIT warm-up still inflate it on a busy machine.");
return results.Any(r => r.Errors > 0) ? 1 : 0;

Task<LoadResult> StoreCase(string name, IQuotaStore store) =>
    LoadRun.RunAsync(name, options, cpu, async user => (await store.ConsumeAsync(new UserKey("bench", $"u{user}"), 1)).Allowed);

async Task<LoadResult> RedisStoreCase(string name)
{
    await using var client = new RedisClient(RedisClientOptions.Parse(redis.ConnectionString));
    await client.ExecuteAsync(["FLUSHDB"]);
    return await StoreCase(name, new RedisQuotaStore(client, client.Options.Endpoint, plans, TimeProvider.System));
}

async Task<LoadResult> HttpCase(string name, string? redisConnection)
{
    if (redisConnection is not null)
    {
        await using var flush = new RedisClient(RedisClientOptions.Parse(redisConnection));
        await flush.ExecuteAsync(["FLUSHDB"]);
    }
    string[] serviceArgs = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
        .. redisConnection is null ? Array.Empty<string>() : [$"--Quota:Redis={redisConnection}"]];
    await using var app = QuotaServiceApp.Create(serviceArgs);
    await app.StartAsync();
    var address = app.Urls.First(); // the port Kestrel actually bound
    if (options.HttpClient == "wrk")
    {
        var measured = await WrkLoad.RunAsync(name, options, cpu, address);
        await app.StopAsync();
        return measured;
    }

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, UseProxy = false })
    {
        BaseAddress = new Uri(address),
        DefaultRequestVersion = HttpVersion.Version11,
    };
    var result = await LoadRun.RunAsync(name, options, cpu, async user =>
    {
        using var body = new StringContent($$"""{"tenant":"bench","user":"u{{user}}","cost":1}""", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/v1/quota/consume", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ConsumeAnswer>())!.Allowed;
    });
    await app.StopAsync();
    return result;
}

internal sealed record ConsumeAnswer(bool Allowed);
