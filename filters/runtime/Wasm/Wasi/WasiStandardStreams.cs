namespace ImageHub.Wasm.Wasi;

/// <summary>
/// The guest's file descriptor table: only stdin (0), stdout (1) and stderr (2) exist,
/// and the guest may close them. There are no preopened directories, so the guest
/// cannot reach the host's files.
/// </summary>
internal sealed class WasiStandardStreams(WasiOptions options)
{
    public const int Stdin = 0, Stdout = 1, Stderr = 2;

    private readonly bool[] _closed = new bool[3];

    public bool IsOpen(int fd) => fd is >= Stdin and <= Stderr && !_closed[fd];

    /// <summary>Closes an open descriptor; false when it is not open.</summary>
    public bool Close(int fd)
    {
        if (!IsOpen(fd)) return false;
        _closed[fd] = true;
        Output(fd)?.Flush();
        return true;
    }

    /// <summary>The sink of an open stdout/stderr; null for stdin and closed or unknown descriptors.</summary>
    public WasiOutput? Output(int fd) => !IsOpen(fd) ? null : fd switch
    {
        Stdout => options.Stdout,
        Stderr => options.Stderr,
        _ => null,
    };

    /// <summary>Stdin's stream while it is open.</summary>
    public Stream? Input(int fd) => fd == Stdin && IsOpen(fd) ? options.Stdin : null;

    public WasiRights Rights(int fd) => fd == Stdin
        ? WasiRights.FdRead | WasiRights.FdFilestatGet | WasiRights.PollFdReadWrite
        : WasiRights.FdWrite | WasiRights.FdFilestatGet | WasiRights.PollFdReadWrite;

    public void FlushAll()
    {
        options.Stdout.Flush();
        options.Stderr.Flush();
    }
}
