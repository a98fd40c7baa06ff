using ImageHub.Quota.Redis;
using ImageHub.Quota.Tests.Support;

namespace ImageHub.Quota.Tests.Redis;

/// <summary>Outages: refused connections, backoff, a server that stops and comes back.</summary>
public sealed class RedisClientOutageTests
{
    [Fact]
    public async Task A_refused_connection_is_a_connection_error_and_later_calls_back_off_without_trying()
    {
        int port;
        using (var stopped = RedisServer.Start()) port = stopped.Port; // a port where Redis was and is no more
        await using var client = new RedisClient(RedisClientOptions.Parse($"127.0.0.1:{port}") with { ReconnectBackoff = TimeSpan.FromSeconds(30) });

        var first = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync(["PING"]));
        Assert.Contains($"Cannot connect to Redis at 127.0.0.1:{port}", first.Message);
        var second = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync(["PING"]));
        Assert.Contains("next reconnect attempt in", second.Message);
    }

    [Fact]
    public async Task When_redis_stops_calls_fail_and_when_it_returns_the_client_reconnects_by_itself()
    {
        using var server = RedisServer.Start();
        await using var client = new RedisClient(RedisClientOptions.Parse(server.ConnectionString));
        Assert.Equal("PONG", (await client.ExecuteAsync(["PING"])).AsString());

        server.Stop();
        await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync(["PING"]));
        await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync(["PING"]));

        server.Restart();
        Assert.Equal("PONG", (await Eventually.SucceedsAsync(() => client.ExecuteAsync(["PING"]))).AsString());
    }

    [Fact]
    public async Task Commands_in_flight_when_the_server_dies_all_fail_with_a_connection_error()
    {
        using var server = RedisServer.Start();
        await using var client = new RedisClient(RedisClientOptions.Parse(server.ConnectionString + ",timeoutMs=5000"));
        await client.ExecuteAsync(["PING"]);
        // BLPOP holds its reply; everything pipelined behind it waits too.
        var blocked = Enumerable.Range(0, 20).Select(_ => client.ExecuteAsync(["BLPOP", "nothing", "0"])).ToArray();
        await Task.Delay(100);
        server.Stop();
        foreach (var call in blocked) await Assert.ThrowsAsync<RedisConnectionException>(() => call);
    }
}
