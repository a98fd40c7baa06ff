using System.Diagnostics;
using System.Text;
using ImageHub.Quota.Redis;
using ImageHub.Quota.Tests.Support;

namespace ImageHub.Quota.Tests.Redis;

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
