using System.Text;

namespace ImageHub.Wasm.Wasi;

/// <summary>Receives the bytes a guest writes with <c>fd_write</c>.</summary>
public delegate void WasiBytesWritten(ReadOnlySpan<byte> bytes);

/// <summary>
/// Where a guest's stdout or stderr goes. The host picks one per stream: a .NET
/// stream (the CLI passes them through), a TextWriter, a raw byte callback, or
/// whole lines (the Proxy-Wasm host routes them to its log).
/// </summary>
public abstract class WasiOutput
{
    /// <summary>Writes the bytes; may buffer until <see cref="Flush"/>.</summary>
    public abstract void Write(ReadOnlySpan<byte> bytes);

    /// <summary>Hands on what is buffered (an unfinished line, bytes of a split UTF-8 sequence).</summary>
    public virtual void Flush() { }

    /// <summary>Drops everything.</summary>
    public static WasiOutput Discard { get; } = new CallbackOutput(static _ => { });

    public static WasiOutput ToStream(Stream stream) => new StreamOutput(stream);

    public static WasiOutput ToTextWriter(TextWriter writer) => new TextWriterOutput(writer);

    public static WasiOutput ToCallback(WasiBytesWritten callback) => new CallbackOutput(callback);

    /// <summary>
    /// Calls <paramref name="onLine"/> once per line, without the line break, decoded as UTF-8.
    /// A line longer than <paramref name="maxLineBytes"/> is handed on in pieces so that a guest
    /// that never writes a newline cannot make the host buffer without bound.
    /// </summary>
    public static WasiOutput ToLines(Action<string> onLine, int maxLineBytes = 16 * 1024) =>
        new LineOutput(onLine, maxLineBytes);

    private sealed class CallbackOutput(WasiBytesWritten callback) : WasiOutput
    {
        public override void Write(ReadOnlySpan<byte> bytes) => callback(bytes);
    }

    private sealed class StreamOutput(Stream stream) : WasiOutput
    {
        public override void Write(ReadOnlySpan<byte> bytes)
        {
            stream.Write(bytes);
            // Flushed per call so that stdout and stderr interleave as the guest wrote them.
            stream.Flush();
        }

        public override void Flush() => stream.Flush();
    }

    private sealed class TextWriterOutput(TextWriter writer) : WasiOutput
    {
        // A Decoder keeps a UTF-8 sequence that is split across two fd_write calls intact.
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();

        public override void Write(ReadOnlySpan<byte> bytes)
        {
            Span<char> chars = stackalloc char[512];
            while (!bytes.IsEmpty)
            {
                var take = Math.Min(bytes.Length, 256);
                var count = _decoder.GetChars(bytes[..take], chars, flush: false);
                writer.Write(chars[..count]);
                bytes = bytes[take..];
            }
            writer.Flush();
        }

        public override void Flush()
        {
            Span<char> chars = stackalloc char[8];
            var count = _decoder.GetChars(ReadOnlySpan<byte>.Empty, chars, flush: true);
            writer.Write(chars[..count]);
            writer.Flush();
        }
    }

    private sealed class LineOutput(Action<string> onLine, int maxLineBytes) : WasiOutput
    {
        private readonly MemoryStream _pending = new();

        public override void Write(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                var newline = bytes.IndexOf((byte)'\n');
                var piece = newline < 0 ? bytes : bytes[..newline];
                while (_pending.Length + piece.Length > maxLineBytes)
                {
                    var room = maxLineBytes - (int)_pending.Length;
                    _pending.Write(piece[..room]);
                    Emit();
                    piece = piece[room..];
                }
                _pending.Write(piece);
                if (newline < 0) return;
                Emit();
                bytes = bytes[(newline + 1)..];
            }
        }

        public override void Flush()
        {
            if (_pending.Length > 0) Emit();
        }

        private void Emit()
        {
            var line = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            onLine(Encoding.UTF8.GetString(line));
            _pending.SetLength(0);
        }
    }
}
