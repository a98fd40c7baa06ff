using ImageHub.Quota.Redis;

namespace ImageHub.Quota.Tests.Redis;

public sealed class RedisClientOptionsTests
{
    [Fact]
    public void Parses_every_option()
    {
        var options = RedisClientOptions.Parse("redis.internal:6380, password=s3cret,user=quota,db=2,timeoutMs=150,connectTimeoutMs=700");
        Assert.Equal("redis.internal", options.Host);
        Assert.Equal(6380, options.Port);
        Assert.Equal("s3cret", options.Password);
        Assert.Equal("quota", options.User);
        Assert.Equal(2, options.Database);
        Assert.Equal(TimeSpan.FromMilliseconds(150), options.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(700), options.ConnectTimeout);
        Assert.Equal("redis.internal:6380 db 2", options.Endpoint);
    }

    [Fact]
    public void Host_alone_means_port_6379_db_0_and_the_default_timeouts()
    {
        var options = RedisClientOptions.Parse("127.0.0.1");
        Assert.Equal(6379, options.Port);
        Assert.Equal(0, options.Database);
        Assert.Null(options.Password);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), options.ConnectTimeout);
    }

    [Fact]
    public void The_endpoint_never_shows_the_password()
    {
        Assert.DoesNotContain("s3cret", RedisClientOptions.Parse("127.0.0.1:6379,password=s3cret").Endpoint);
    }

    [Theory]
    [InlineData("", "must start with host:port")]
    [InlineData("127.0.0.1:notaport", "'port' must be a whole number from 1 to 65535")]
    [InlineData("127.0.0.1:70000", "'port'")]
    [InlineData(":6379", "has no host")]
    [InlineData("127.0.0.1:6379,db=-1", "'db' must be a whole number")]
    [InlineData("127.0.0.1:6379,timeoutMs=0", "'timeoutMs' must be a whole number from 1")]
    [InlineData("127.0.0.1:6379,pasword=x", "Unknown Redis connection string option 'pasword'")]
    [InlineData("127.0.0.1:6379,ssl", "is not name=value")]
    public void Bad_connection_strings_say_what_is_wrong(string connectionString, string message)
    {
        var error = Assert.Throws<FormatException>(() => RedisClientOptions.Parse(connectionString));
        Assert.Contains(message, error.Message);
    }
}
