using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Threading.Channels;

namespace ImageHub.Quota.Redis;

/// <summary>
/// One TCP connection to Redis, shared by every caller. Callers queue commands; one writer loop
/// sends whatever is queued in a single write (pipelining), one reader loop parses replies and
/// hands each to the oldest waiting command, which is right because Redis answers in order.
/// Any failure (read/write error, closed by the server, malformed reply, a reply later than the
/// timeout) kills the whole connection and fails every waiting command; <see cref="RedisClient"/>
/// opens a new one.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private const int MaxWriteBatch = 64 * 1024;

    private readonly RedisClientOptions _options;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Channel<PendingCommand> _outbox = Channel.CreateUnbounded<PendingCommand>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ConcurrentQueue<PendingCommand> _awaitingReply = new();
    private readonly long _timeoutTicks;
    private readonly Timer _watchdog;
    private readonly Task _writeLoop;
    private readonly Task _readLoop;
    private Exception? _failure;

    private RedisConnection(Socket socket, RedisClientOptions options)
    {
        _options = options;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _timeoutTicks = (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
        var period = TimeSpan.FromMilliseconds(Math.Max(5, options.Timeout.TotalMilliseconds / 4));
        _watchdog = new Timer(_ => CheckDeadlines(), null, period, period);
        _writeLoop = Task.Run(WriteLoopAsync);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public bool IsAlive => Volatile.Read(ref _failure) is null;

    /// <summary>Connects, then authenticates and selects the database before anyone else may use it.</summary>
    public static async Task<RedisConnection> OpenAsync(RedisClientOptions options, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, deadline.Token);
        }
        catch (Exception ex)
        {
            socket.Dispose();
            throw ConnectFailure(options, ex, cancellationToken);
        }

        var connection = new RedisConnection(socket, options);
        try
        {
            if (options.Password is not null)
            {
                string[] auth = options.User is null ? ["AUTH", options.Password] : ["AUTH", options.User, options.Password];
                await connection.HandshakeAsync(auth, "AUTH", deadline.Token);
            }
            if (options.Database != 0)
                await connection.HandshakeAsync(["SELECT", options.Database.ToString(CultureInfo.InvariantCulture)], "SELECT", deadline.Token);
            return connection;
        }
        catch (Exception ex)
        {
            var failure = ex as RedisException ?? ConnectFailure(options, ex, cancellationToken);
            connection.Fail(failure);
            throw failure;
        }
    }

    /// <summary>Queues an encoded command; the task completes with its reply, or fails when the connection dies.</summary>
    public Task<RedisReply> SendAsync(byte[] payload, CancellationToken cancellationToken = default)
    {
        var command = new PendingCommand(payload);
        if (!_outbox.Writer.TryWrite(command)) return Task.FromException<RedisReply>(CallerFailure());
        return cancellationToken.CanBeCanceled ? command.Task.WaitAsync(cancellationToken) : command.Task;
    }

    private async Task HandshakeAsync(string[] command, string what, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(RespWriter.Encode(command)).WaitAsync(cancellationToken);
        if (reply.Kind == RedisReplyKind.Error)
            throw new RedisConnectionException($"Redis at {_options.Endpoint} refused {what}: {reply.AsString()}");
    }

    private async Task WriteLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var reader = _outbox.Reader;
            while (await reader.WaitToReadAsync())
            {
                var length = 0;
                while (length < MaxWriteBatch && reader.TryRead(out var command))
                {
                    // Registered before its bytes leave, so its reply always finds it.
                    _awaitingReply.Enqueue(command);
                    if (buffer.Length - length < command.Payload.Length)
                        Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + command.Payload.Length));
                    command.Payload.CopyTo(buffer, length);
                    length += command.Payload.Length;
                }
                await _stream.WriteAsync(buffer.AsMemory(0, length));
            }
        }
        catch (Exception ex)
        {
            Fail(new RedisConnectionException($"Writing to Redis at {_options.Endpoint} failed: {ex.Message}", ex));
        }
        finally
        {
            FailEverythingQueued();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    else
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                }

                var read = await _stream.ReadAsync(buffer.AsMemory(end));
                if (read == 0) throw new RedisConnectionException($"Redis at {_options.Endpoint} closed the connection.");
                end += read;

                while (start < end && RespParser.TryParse(buffer.AsSpan(start, end - start), out var reply, out var consumed))
                {
                    start += consumed;
                    if (!_awaitingReply.TryDequeue(out var command))
                        throw new RedisProtocolException($"Redis at {_options.Endpoint} sent a reply no command was waiting for.");
                    command.TrySetResult(reply!);
                }
                if (start == end) start = end = 0;
            }
        }
        catch (Exception ex)
        {
            Fail(ex as RedisException ?? new RedisConnectionException($"Reading from Redis at {_options.Endpoint} failed: {ex.Message}", ex));
        }
    }

    private void CheckDeadlines()
    {
        var oldestAllowed = Stopwatch.GetTimestamp() - _timeoutTicks;
        if ((_awaitingReply.TryPeek(out var sent) && sent.SentAt < oldestAllowed) ||
            (_outbox.Reader.TryPeek(out var queued) && queued.SentAt < oldestAllowed))
        {
            Fail(new RedisTimeoutException(
                $"Redis at {_options.Endpoint} did not answer within {_options.Timeout.TotalMilliseconds:0} ms; the connection was dropped."));
        }
    }

    /// <summary>Kills the connection (first reason wins) and fails everything waiting.</summary>
    private void Fail(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is null)
        {
            _outbox.Writer.TryComplete();
            _watchdog.Dispose();
            _stream.Dispose();
        }
        FailEverythingQueued();
    }

    private void FailEverythingQueued()
    {
        while (_awaitingReply.TryDequeue(out var command)) command.TrySetException(CallerFailure());
        while (_outbox.Reader.TryRead(out var command)) command.TrySetException(CallerFailure());
    }

    /// <summary>A fresh exception per caller (one instance must not be thrown on many threads).</summary>
    private RedisConnectionException CallerFailure() => Volatile.Read(ref _failure) switch
    {
        RedisTimeoutException timeout => new RedisTimeoutException(timeout.Message),
        RedisException failure => new RedisConnectionException(failure.Message, failure),
        { } other => new RedisConnectionException($"The connection to Redis at {_options.Endpoint} is closed: {other.Message}", other),
        null => new RedisConnectionException($"The connection to Redis at {_options.Endpoint} is closed."),
    };

    private static RedisConnectionException ConnectFailure(RedisClientOptions options, Exception ex, CancellationToken callerToken) => ex switch
    {
        OperationCanceledException when !callerToken.IsCancellationRequested =>
            new RedisConnectionException($"Connecting to Redis at {options.Endpoint} timed out after {options.ConnectTimeout.TotalMilliseconds:0} ms."),
        _ => new RedisConnectionException($"Cannot connect to Redis at {options.Endpoint}: {ex.Message}", ex),
    };

    public async ValueTask DisposeAsync()
    {
        Fail(new RedisConnectionException($"The connection to Redis at {_options.Endpoint} was closed by its owner."));
        try
        {
            // Both loops end once the stream is closed; their failures are already recorded.
            await Task.WhenAll(_writeLoop, _readLoop).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception)
        {
        }
    }
}
