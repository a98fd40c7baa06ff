namespace ImageHub.Wasm.Wasi;

// fd_* and path_open: the three standard streams, and no files or directories.
public sealed partial class WasiHost
{
    private int FdWrite(WasmCaller caller, int fd, int iovs, int iovsCount, int nwritten)
    {
        var output = _streams.Output(fd);
        if (output is null) return Answer(WasiErrno.BadFileDescriptor);
        var memory = GuestMemory.Of(caller);
        var check = memory.CheckIovecs(iovs, iovsCount, out var total);
        if (check != WasiErrno.Success) return Answer(check);
        if (!memory.Fits(nwritten, 4)) return Answer(WasiErrno.Fault);
        try
        {
            for (var i = 0; i < iovsCount; i++) output.Write(memory.Iovec(iovs, i));
        }
        catch (IOException)
        {
            return Answer(WasiErrno.IO);
        }
        memory.TryWriteUInt32(nwritten, (uint)total);
        return Answer(WasiErrno.Success);
    }

    private int FdRead(WasmCaller caller, int fd, int iovs, int iovsCount, int nread)
    {
        if (!_streams.IsOpen(fd)) return Answer(WasiErrno.BadFileDescriptor);
        var input = _streams.Input(fd);
        if (input is null) return Answer(WasiErrno.BadFileDescriptor);
        var memory = GuestMemory.Of(caller);
        var check = memory.CheckIovecs(iovs, iovsCount, out _);
        if (check != WasiErrno.Success) return Answer(check);
        if (!memory.Fits(nread, 4)) return Answer(WasiErrno.Fault);
        uint total = 0;
        try
        {
            for (var i = 0; i < iovsCount; i++)
            {
                var buffer = memory.Iovec(iovs, i);
                var read = input.Read(buffer);
                total += (uint)read;
                // A short read means no more is available now; asking again could block.
                if (read < buffer.Length) break;
            }
        }
        catch (IOException)
        {
            return Answer(WasiErrno.IO);
        }
        memory.TryWriteUInt32(nread, total);
        return Answer(WasiErrno.Success);
    }

    private int FdClose(int fd) =>
        Answer(_streams.Close(fd) ? WasiErrno.Success : WasiErrno.BadFileDescriptor);

    // The standard streams are pipes or terminals: they cannot seek.
    private int FdSeek(WasmCaller caller, int fd, long offset, int whence, int newOffset) =>
        Answer(_streams.IsOpen(fd) ? WasiErrno.InvalidSeek : WasiErrno.BadFileDescriptor);

    private int FdTell(WasmCaller caller, int fd, int offset) =>
        Answer(_streams.IsOpen(fd) ? WasiErrno.InvalidSeek : WasiErrno.BadFileDescriptor);

    private int FdFdstatGet(WasmCaller caller, int fd, int buf)
    {
        if (!_streams.IsOpen(fd)) return Answer(WasiErrno.BadFileDescriptor);
        var memory = GuestMemory.Of(caller);
        if (!memory.TryRange(buf, WasiLayout.FdstatSize, out var stat)) return Answer(WasiErrno.Fault);
        stat.Clear();
        // A character device is what a terminal reports; libc then line-buffers stdout,
        // so every log line reaches the host as it is written.
        stat[0] = (byte)WasiFileType.CharacterDevice;
        memory.TryWriteUInt64(buf + 8, (ulong)_streams.Rights(fd));
        return Answer(WasiErrno.Success);
    }

    private int FdFilestatGet(WasmCaller caller, int fd, int buf, int filestatSize)
    {
        if (!_streams.IsOpen(fd)) return Answer(WasiErrno.BadFileDescriptor);
        var memory = GuestMemory.Of(caller);
        if (!memory.TryRange(buf, filestatSize, out var stat)) return Answer(WasiErrno.Fault);
        stat.Clear();
        stat[WasiLayout.FilestatFileTypeOffset] = (byte)WasiFileType.CharacterDevice;
        return Answer(WasiErrno.Success);
    }

    // No preopened directories: libc's scan of fds 3, 4, ... ends at the first EBADF,
    // and the standard streams are not directories either.
    private int FdPrestatGet(WasmCaller caller, int fd, int buf) => Answer(WasiErrno.BadFileDescriptor);

    private int FdPrestatDirName(WasmCaller caller, int fd, int path, int pathLength) =>
        Answer(WasiErrno.BadFileDescriptor);

    private int PathOpen(WasmCaller caller, int directoryFd, int lookupFlags, int path, int pathLength,
        int openFlags, long rightsBase, long rightsInheriting, int fdFlags, int openedFd) =>
        Answer(_streams.IsOpen(directoryFd) ? WasiErrno.NotDirectory : WasiErrno.BadFileDescriptor);
}
