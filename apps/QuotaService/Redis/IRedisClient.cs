namespace ImageHub.Quota.Redis;

/// <summary>
/// The one seam between the quota service and Redis: send a command, get its reply.
/// StackExchange.Redis cannot be restored on our build machines (its dependency
/// Pipelines.Sockets.Unofficial is not served), so <see cref="RedisClient"/> implements this with
/// a small RESP2 client of our own; a library client could replace it behind this interface.
/// </summary>
public interface IRedisClient : IAsyncDisposable
{
    /// <summary>
    /// Sends one command (name and arguments, each sent as a UTF-8 bulk string) and returns its reply.
    /// Throws <see cref="RedisServerErrorException"/> for an error reply and
    /// <see cref="RedisConnectionException"/> when no reply could be had.
    /// </summary>
    Task<RedisReply> ExecuteAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default);
}
