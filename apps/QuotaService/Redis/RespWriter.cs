using System.Text;

namespace ImageHub.Quota.Redis;

/// <summary>Encodes a command as a RESP2 array of bulk strings, the form every Redis command takes.</summary>
public static class RespWriter
{
    public static byte[] Encode(IReadOnlyList<string> command)
    {
        if (command.Count == 0) throw new ArgumentException("A command needs at least its name.", nameof(command));

        var size = 1 + Digits(command.Count) + 2;
        Span<int> lengths = command.Count <= 64 ? stackalloc int[command.Count] : new int[command.Count];
        for (var i = 0; i < command.Count; i++)
        {
            lengths[i] = Encoding.UTF8.GetByteCount(command[i]);
            size += 1 + Digits(lengths[i]) + 2 + lengths[i] + 2;
        }

        var bytes = new byte[size];
        var at = 0;
        at = WriteHeader(bytes, at, (byte)'*', command.Count);
        for (var i = 0; i < command.Count; i++)
        {
            at = WriteHeader(bytes, at, (byte)'$', lengths[i]);
            at += Encoding.UTF8.GetBytes(command[i], bytes.AsSpan(at));
            bytes[at++] = (byte)'\r';
            bytes[at++] = (byte)'\n';
        }
        return bytes;
    }

    private static int WriteHeader(byte[] bytes, int at, byte type, int number)
    {
        bytes[at++] = type;
        number.TryFormat(bytes.AsSpan(at), out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
        at += written;
        bytes[at++] = (byte)'\r';
        bytes[at++] = (byte)'\n';
        return at;
    }

    private static int Digits(int value)
    {
        var digits = 1;
        while (value >= 10) { value /= 10; digits++; }
        return digits;
    }
}
