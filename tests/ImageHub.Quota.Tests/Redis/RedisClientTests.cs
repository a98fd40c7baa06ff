using System.Diagnostics;
using System.Text;
using ImageHub.Quota.Redis;
using ImageHub.Quota.Tests.Support;

namespace ImageHub.Quota.Tests.Redis;

/// <summary>The RESP client against a real redis-server.</summary>
public sealed class RedisClientTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly string _prefix = Ids.NewTenant();
    private RedisClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new RedisClient(RedisClientOptions.Parse(redis.Server.ConnectionString));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Sends_commands_and_reads_every_reply_type()
    {
        Assert.Equal("PONG", (await _client.ExecuteAsync(["PING"])).AsString());
        Assert.Equal("OK", (await _client.ExecuteAsync(["SET", _prefix + ":s", "héllo"])).AsString());
        Assert.Equal("héllo", (await _client.ExecuteAsync(["GET", _prefix + ":s"])).AsString());
        Assert.True((await _client.ExecuteAsync(["GET", _prefix + ":missing"])).IsNull);
        Assert.Equal(5, (await _client.ExecuteAsync(["INCRBY", _prefix + ":n", "5"])).Integer);
        await _client.ExecuteAsync(["RPUSH", _prefix + ":l", "a", "b"]);
        Assert.Equal("[\"a\", \"b\"]", (await _client.ExecuteAsync(["LRANGE", _prefix + ":l", "0", "-1"])).ToString());
        var nested = await _client.ExecuteAsync(["EVAL", "return {1, {'x', {2}}, false}", "0"]);
        Assert.Equal("[:1, [\"x\", [:2]], (nil)]", nested.ToString());
    }

    [Fact]
    public async Task An_error_reply_is_a_server_error_and_the_connection_keeps_working()
    {
        var error = await Assert.ThrowsAsync<RedisServerErrorException>(() => _client.ExecuteAsync(["NOSUCHCOMMAND"]));
        Assert.Equal("ERR", error.Prefix);
        Assert.Contains("unknown command", error.Message);
        await _client.ExecuteAsync(["SET", _prefix + ":str", "x"]);
        var wrongType = await Assert.ThrowsAsync<RedisServerErrorException>(() => _client.ExecuteAsync(["INCR", _prefix + ":str"]));
        Assert.Equal("ERR", wrongType.Prefix);
        Assert.Equal("PONG", (await _client.ExecuteAsync(["PING"])).AsString());
    }

    [Fact]
    public async Task Thousands_of_concurrent_callers_each_get_their_own_reply()
    {
        var tasks = Enumerable.Range(0, 2000).Select(i => Task.Run(async () =>
        {
            var key = $"{_prefix}:k{i}";
            await _client.ExecuteAsync(["SET", key, $"value-{i}"]);
            var (get, incr) = (_client.ExecuteAsync(["GET", key]), _client.ExecuteAsync(["INCR", _prefix + ":counter"]));
            return (i, Value: (await get).AsString(), Count: (await incr).Integer);
        }));
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.Equal($"value-{r.i}", r.Value));
        Assert.Equal(Enumerable.Range(1, 2000).Select(n => (long)n), results.Select(r => r.Count).Order());
    }

    [Fact]
    public async Task Large_replies_spanning_many_reads_arrive_whole()
    {
        var big = new string('q', 300_000);
        await _client.ExecuteAsync(["SET", _prefix + ":big", big]);
        var replies = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _client.ExecuteAsync(["GET", _prefix + ":big"])));
        Assert.All(replies, r => Assert.Equal(big, r.AsString()));
    }

    [Fact]
    public async Task A_script_runs_by_sha_and_falls_back_to_eval_after_a_script_flush()
    {
        var script = new RedisScript("return ARGV[1] .. KEYS[1]");
        await _client.ExecuteAsync(["SCRIPT", "FLUSH"]);
        Assert.Equal("ab", (await script.EvaluateAsync(_client, ["b"], ["a"])).AsString());
        Assert.Equal(1, (await _client.ExecuteAsync(["SCRIPT", "EXISTS", script.Sha1])).Items![0].Integer);
        Assert.Equal("cd", (await script.EvaluateAsync(_client, ["d"], ["c"])).AsString());
    }

    [Fact]
    public async Task A_failing_script_is_a_server_error_not_a_fallback()
    {
        var script = new RedisScript("return redis.call('NOSUCHCOMMAND')");
        var error = await Assert.ThrowsAsync<RedisServerErrorException>(() => script.EvaluateAsync(_client, [], []));
        Assert.Contains("Unknown Redis command", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>AUTH and SELECT against a password-protected real redis-server.</summary>
public sealed class RedisClientAuthTests : IDisposable
{
    private readonly RedisServer _server = RedisServer.Start(password: "correct-horse");

    [Fact]
    public async Task Authenticates_and_selects_the_configured_database()
    {
        await using var db3 = new RedisClient(RedisClientOptions.Parse($"127.0.0.1:{_server.Port},password=correct-horse,db=3,timeoutMs=5000,connectTimeoutMs=5000"));
        await using var db0 = new RedisClient(RedisClientOptions.Parse($"127.0.0.1:{_server.Port},password=correct-horse,timeoutMs=5000,connectTimeoutMs=5000"));
        await db3.ExecuteAsync(["SET", "where", "three"]);
        Assert.Equal("three", (await db3.ExecuteAsync(["GET", "where"])).AsString());
        Assert.True((await db0.ExecuteAsync(["GET", "where"])).IsNull);
    }

    [Fact]
    public async Task A_wrong_password_is_a_connection_error_that_names_auth()
    {
        await using var client = new RedisClient(RedisClientOptions.Parse($"127.0.0.1:{_server.Port},password=wrong,timeoutMs=5000,connectTimeoutMs=5000"));
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync(["PING"]));
        Assert.Contains("refused AUTH", error.Message);
        Assert.Contains("WRONGPASS", error.Message);
    }

    [Fact]
    public async Task Without_a_password_commands_fail_with_the_servers_noauth_error()
    {
        await using var client = new RedisClient(RedisClientOptions.Parse($"127.0.0.1:{_server.Port},timeoutMs=5000,connectTimeoutMs=5000"));
        var error = await Assert.ThrowsAsync<RedisServerErrorException>(() => client.ExecuteAsync(["GET", "x"]));
        Assert.Equal("NOAUTH", error.Prefix);
    }

    public void Dispose() => _server.Dispose();
}

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
        Assert.Equal("PONG", (await Eventually(() => client.ExecuteAsync(["PING"]))).AsString());
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

    internal static async Task<T> Eventually<T>(Func<Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(50);
            }
        }
    }
}

/// <summary>Network conditions a real Redis does not produce on demand, played by a fake server.</summary>
public sealed class RedisClientWireTests
{
    [Fact]
    public async Task Replies_trickling_in_one_byte_per_packet_are_reassembled()
    {
        using var server = new FakeRedisServer(async (stream, _) =>
        {
            foreach (var b in "*2\r\n$5\r\nhello\r\n:42\r\n"u8.ToArray())
            {
                await stream.WriteAsync(new[] { b });
                await stream.FlushAsync();
                await Task.Delay(1);
            }
        });
        await using var client = new RedisClient(RedisClientOptions.Parse(server.ConnectionString + ",timeoutMs=5000"));
        Assert.Equal("[\"hello\", :42]", (await client.ExecuteAsync(["ANYTHING"])).ToString());
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_a_timeout_error()
    {
        using var server = new FakeRedisServer((_, _) => Task.CompletedTask);
        await using var client = new RedisClient(RedisClientOptions.Parse(server.ConnectionString + ",timeoutMs=200"));
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RedisTimeoutException>(() => client.ExecuteAsync(["PING"]));
        Assert.Contains("did not answer within 200 ms", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Garbage_from_the_server_is_a_protocol_error()
    {
        using var server = new FakeRedisServer((stream, _) => stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n")).AsTask());
        await using var client = new RedisClient(RedisClientOptions.Parse(server.ConnectionString + ",timeoutMs=5000"));
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync(["PING"]));
        Assert.Contains("Unknown reply type byte", error.Message);
    }

    [Fact]
    public async Task A_server_that_closes_the_connection_is_a_connection_error()
    {
        using var server = new FakeRedisServer((stream, _) => { stream.Socket.Close(); return Task.CompletedTask; });
        await using var client = new RedisClient(RedisClientOptions.Parse(server.ConnectionString + ",timeoutMs=5000"));
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync(["PING"]));
        Assert.Contains("closed the connection", error.Message);
    }
}
