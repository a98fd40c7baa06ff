using System.Diagnostics;

namespace ImageHub.Quota.Redis;

/// <summary>
/// The RESP2 client: one multiplexed, pipelined <see cref="RedisConnection"/> shared by all
/// callers, reopened on demand after it dies. Reconnects back off (100 ms doubling to 2 s by
/// default); while backing off, calls fail at once instead of waiting, so callers can answer
/// "unavailable" fast and the client recovers by itself once Redis is back.
/// </summary>
public sealed class RedisClient(RedisClientOptions options) : IRedisClient
{
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private RedisConnection? _connection;
    private long _retryAt;
    private int _failures;
    private string _lastError = "";
    private volatile bool _disposed;

    public RedisClientOptions Options => options;

    public async Task<RedisReply> ExecuteAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default)
    {
        var payload = RespWriter.Encode(command);
        var connection = Volatile.Read(ref _connection);
        if (connection is null || !connection.IsAlive) connection = await ConnectAsync(cancellationToken);

        var reply = await connection.SendAsync(payload, cancellationToken);
        if (reply.Kind == RedisReplyKind.Error) throw new RedisServerErrorException(reply.AsString()!);
        return reply;
    }

    private async Task<RedisConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfBackingOff();
        if (!await _connectGate.WaitAsync(options.ConnectTimeout, cancellationToken))
            throw new RedisConnectionException($"Timed out waiting for another caller's connection attempt to Redis at {options.Endpoint}.");
        try
        {
            var current = Volatile.Read(ref _connection);
            if (current is { IsAlive: true }) return current;
            ThrowIfBackingOff();

            try
            {
                var opened = await RedisConnection.OpenAsync(options, cancellationToken);
                if (current is not null) await current.DisposeAsync();
                Volatile.Write(ref _connection, opened);
                _failures = 0;
                return opened;
            }
            catch (RedisException ex)
            {
                _failures++;
                var backoff = Math.Min(options.MaxReconnectBackoff.TotalMilliseconds,
                    options.ReconnectBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(_failures - 1, 20)));
                _lastError = ex.Message;
                Volatile.Write(ref _retryAt, Stopwatch.GetTimestamp() + (long)(backoff / 1000 * Stopwatch.Frequency));
                throw;
            }
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private void ThrowIfBackingOff()
    {
        var wait = Volatile.Read(ref _retryAt) - Stopwatch.GetTimestamp();
        if (wait > 0)
            throw new RedisConnectionException(
                $"Redis at {options.Endpoint} is unreachable ({_lastError}); next reconnect attempt in {wait * 1000 / Stopwatch.Frequency} ms.");
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        var connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null) await connection.DisposeAsync();
    }
}
