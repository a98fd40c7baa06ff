using System.Text;

namespace ImageHub.Quota.Redis;

public enum RedisReplyKind { SimpleString, Error, Integer, BulkString, Array }

/// <summary>
/// One RESP2 reply. Null bulk strings (<c>$-1</c>) and null arrays (<c>*-1</c>) keep their kind
/// and have <see cref="IsNull"/> set.
/// </summary>
public sealed class RedisReply
{
    private readonly byte[]? _bytes;
    private readonly string? _text;
    private readonly RedisReply[]? _items;

    private RedisReply(RedisReplyKind kind, string? text = null, long integer = 0, byte[]? bytes = null, RedisReply[]? items = null)
    {
        Kind = kind;
        _text = text;
        Integer = integer;
        _bytes = bytes;
        _items = items;
    }

    public static readonly RedisReply NullBulkString = new(RedisReplyKind.BulkString);
    public static readonly RedisReply NullArray = new(RedisReplyKind.Array);

    public static RedisReply Simple(string text) => new(RedisReplyKind.SimpleString, text: text);
    public static RedisReply Error(string text) => new(RedisReplyKind.Error, text: text);
    public static RedisReply FromInteger(long value) => new(RedisReplyKind.Integer, integer: value);
    public static RedisReply Bulk(byte[] bytes) => new(RedisReplyKind.BulkString, bytes: bytes);
    public static RedisReply Bulk(string text) => Bulk(Encoding.UTF8.GetBytes(text));
    public static RedisReply Array(RedisReply[] items) => new(RedisReplyKind.Array, items: items);

    public RedisReplyKind Kind { get; }

    public bool IsNull => Kind switch
    {
        RedisReplyKind.BulkString => _bytes is null,
        RedisReplyKind.Array => _items is null,
        _ => false,
    };

    /// <summary>The value of an integer reply.</summary>
    public long Integer { get; }

    /// <summary>The raw bytes of a bulk string (null for a null bulk string).</summary>
    public byte[]? Bytes => _bytes;

    /// <summary>The items of an array (null for a null array).</summary>
    public IReadOnlyList<RedisReply>? Items => _items;

    /// <summary>Text of a simple string, error or bulk string (UTF-8); the number of an integer; null for nulls.</summary>
    public string? AsString() => Kind switch
    {
        RedisReplyKind.SimpleString or RedisReplyKind.Error => _text,
        RedisReplyKind.BulkString => _bytes is null ? null : Encoding.UTF8.GetString(_bytes),
        RedisReplyKind.Integer => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"An {Kind} reply has no string value."),
    };

    public override string ToString() => Kind switch
    {
        RedisReplyKind.Array when _items is null => "(nil array)",
        RedisReplyKind.Array => "[" + string.Join(", ", _items!.Select(i => i.ToString())) + "]",
        RedisReplyKind.BulkString when _bytes is null => "(nil)",
        RedisReplyKind.Error => "-" + _text,
        RedisReplyKind.Integer => ":" + Integer,
        _ => '"' + AsString() + '"',
    };
}
