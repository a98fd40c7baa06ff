using System.Text;
using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Tests.Wasi;

public class WasiFdWriteTests
{
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
    private readonly WasiGuest _guest;

    public WasiFdWriteTests()
    {
        _guest = new WasiGuest(new WasiOptions
        {
            Stdout = WasiOutput.ToStream(_stdout),
            Stderr = WasiOutput.ToStream(_stderr),
        });
        _guest.Memory.Write(1000, "hello, "u8);
        _guest.Memory.Write(2000, "world\n"u8);
        _guest.WriteIovecs(100, (1000, 7), (2000, 6));
    }

    [Fact]
    public void Gathers_every_iovec_into_stdout_and_reports_the_byte_count()
    {
        Assert.Equal(WasiErrno.Success, _guest.Call("fd_write", 1, 100, 2, 200));
        Assert.Equal("hello, world\n", Encoding.UTF8.GetString(_stdout.ToArray()));
        Assert.Equal(13u, _guest.Memory.ReadUInt32(200));
        Assert.Empty(_stderr.ToArray());
    }

    [Fact]
    public void Fd_2_goes_to_stderr()
    {
        Assert.Equal(WasiErrno.Success, _guest.Call("fd_write", 2, 100, 1, 200));
        Assert.Equal("hello, ", Encoding.UTF8.GetString(_stderr.ToArray()));
        Assert.Empty(_stdout.ToArray());
    }

    [Theory]
    [InlineData(0)]   // stdin is not writable
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(1234)]
    public void A_descriptor_that_is_not_an_open_output_is_EBADF(int fd)
    {
        Assert.Equal(WasiErrno.BadFileDescriptor, _guest.Call("fd_write", fd, 100, 2, 200));
        Assert.Empty(_stdout.ToArray());
    }

    [Fact]
    public void A_closed_stdout_is_EBADF_and_closing_it_twice_too()
    {
        Assert.Equal(WasiErrno.Success, _guest.Call("fd_close", 1));
        Assert.Equal(WasiErrno.BadFileDescriptor, _guest.Call("fd_write", 1, 100, 2, 200));
        Assert.Equal(WasiErrno.BadFileDescriptor, _guest.Call("fd_close", 1));
        Assert.Equal(WasiErrno.Success, _guest.Call("fd_write", 2, 100, 2, 200));
    }

    [Fact]
    public void An_iovec_outside_memory_is_EFAULT_and_nothing_is_written()
    {
        _guest.WriteIovecs(300, (1000, 7), (65530, 7));
        Assert.Equal(WasiErrno.Fault, _guest.Call("fd_write", 1, 300, 2, 200));
        Assert.Empty(_stdout.ToArray());
    }

    [Fact]
    public void An_iovec_array_outside_memory_is_EFAULT()
    {
        Assert.Equal(WasiErrno.Fault, _guest.Call("fd_write", 1, 65532, 1, 200));
        Assert.Equal(WasiErrno.Fault, _guest.Call("fd_write", 1, 100, int.MaxValue, 200));
        Assert.Equal(WasiErrno.Fault, _guest.Call("fd_write", 1, -8, 1, 200));
        Assert.Empty(_stdout.ToArray());
    }

    [Fact]
    public void A_result_pointer_outside_memory_is_EFAULT_and_nothing_is_written()
    {
        Assert.Equal(WasiErrno.Fault, _guest.Call("fd_write", 1, 100, 2, 65534));
        Assert.Empty(_stdout.ToArray());
    }

    [Fact]
    public void Zero_iovecs_write_nothing_and_succeed()
    {
        _guest.Memory.WriteUInt32(200, 99);
        Assert.Equal(WasiErrno.Success, _guest.Call("fd_write", 1, 100, 0, 200));
        Assert.Equal(0u, _guest.Memory.ReadUInt32(200));
    }

    [Fact]
    public void A_failing_sink_answers_EIO()
    {
        var guest = new WasiGuest(new WasiOptions { Stdout = WasiOutput.ToCallback(_ => throw new IOException("pipe closed")) });
        guest.WriteIovecs(100, (1000, 1));
        Assert.Equal(WasiErrno.IO, guest.Call("fd_write", 1, 100, 1, 200));
    }
}
