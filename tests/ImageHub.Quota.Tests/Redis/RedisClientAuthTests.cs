using ImageHub.Quota.Redis;
using ImageHub.Quota.Tests.Support;

namespace ImageHub.Quota.Tests.Redis;

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
