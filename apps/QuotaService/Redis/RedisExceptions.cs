namespace ImageHub.Quota.Redis;

/// <summary>Base of every error the RESP client raises.</summary>
public abstract class RedisException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// No answer could be had: connect refused or timed out, the connection dropped, a reply did not
/// come in time, or the client is backing off before the next reconnect. Retrying later may help.
/// </summary>
public class RedisConnectionException(string message, Exception? inner = null) : RedisException(message, inner);

/// <summary>A reply did not arrive within the configured timeout; the connection was dropped.</summary>
public sealed class RedisTimeoutException(string message) : RedisConnectionException(message);

/// <summary>The bytes from the server are not valid RESP2; the connection was dropped.</summary>
public sealed class RedisProtocolException(string message) : RedisConnectionException(message);

/// <summary>
/// The server answered with an error reply (<c>-ERR ...</c>, <c>-NOSCRIPT ...</c>, <c>-WRONGPASS ...</c>).
/// The connection is fine; this command failed.
/// </summary>
public sealed class RedisServerErrorException(string message) : RedisException(message)
{
    /// <summary>The error's first word, e.g. <c>ERR</c>, <c>NOSCRIPT</c>, <c>LOADING</c>.</summary>
    public string Prefix { get; } = message.Split(' ', 2)[0];
}
