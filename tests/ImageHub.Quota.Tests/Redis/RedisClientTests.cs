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
