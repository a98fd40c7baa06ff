using System.Text;
using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Tests.Wasi;

public class WasiProcessTests
{
    private static readonly WasiOptions Options = new()
    {
        Arguments = ["prog.wasm", "--name", "Grüße"],
        Environment = [new("HOME", "/nowhere"), new("EMPTY", "")],
    };

    [Fact]
    public void Args_sizes_count_the_NUL_terminated_UTF8_bytes()
    {
        var guest = new WasiGuest(Options);
        Assert.Equal(WasiErrno.Success, guest.Call("args_sizes_get", 100, 104));
        Assert.Equal(3u, guest.Memory.ReadUInt32(100));
        Assert.Equal((uint)("prog.wasm".Length + 1 + "--name".Length + 1 + Encoding.UTF8.GetByteCount("Grüße") + 1),
            guest.Memory.ReadUInt32(104));
    }

    [Fact]
    public void Args_get_writes_pointers_into_one_buffer_of_strings()
    {
        var guest = new WasiGuest(Options);
        Assert.Equal(WasiErrno.Success, guest.Call("args_get", 200, 1000));
        var texts = Enumerable.Range(0, 3).Select(i => ReadCString(guest.Memory, guest.Memory.ReadUInt32(200 + 4 * (uint)i))).ToArray();
        Assert.Equal(Options.Arguments, texts);
        Assert.Equal(1000u, guest.Memory.ReadUInt32(200));
    }

    [Fact]
    public void Environ_is_KEY_equals_VALUE()
    {
        var guest = new WasiGuest(Options);
        Assert.Equal(WasiErrno.Success, guest.Call("environ_sizes_get", 100, 104));
        Assert.Equal(2u, guest.Memory.ReadUInt32(100));
        Assert.Equal((uint)"HOME=/nowhere\0EMPTY=\0".Length, guest.Memory.ReadUInt32(104));
        Assert.Equal(WasiErrno.Success, guest.Call("environ_get", 200, 1000));
        Assert.Equal("HOME=/nowhere", ReadCString(guest.Memory, guest.Memory.ReadUInt32(200)));
        Assert.Equal("EMPTY=", ReadCString(guest.Memory, guest.Memory.ReadUInt32(204)));
    }

    [Fact]
    public void No_arguments_and_no_environment_are_zero_sizes()
    {
        var guest = new WasiGuest(new WasiOptions());
        guest.Memory.WriteUInt32(100, 5);
        guest.Memory.WriteUInt32(104, 5);
        Assert.Equal(WasiErrno.Success, guest.Call("environ_sizes_get", 100, 104));
        Assert.Equal(0u, guest.Memory.ReadUInt32(100));
        Assert.Equal(0u, guest.Memory.ReadUInt32(104));
        Assert.Equal(WasiErrno.Success, guest.Call("args_get", 65536, 65536));
    }

    [Fact]
    public void Bad_pointers_are_EFAULT_and_leave_memory_alone()
    {
        var guest = new WasiGuest(Options);
        Assert.Equal(WasiErrno.Fault, guest.Call("args_sizes_get", 100, 65534));
        Assert.Equal(0u, guest.Memory.ReadUInt32(100));
        Assert.Equal(WasiErrno.Fault, guest.Call("args_get", 200, 65530));
        Assert.Equal(0u, guest.Memory.ReadUInt32(200));
        Assert.Equal(WasiErrno.Fault, guest.Call("environ_get", -4, 1000));
    }

    [Fact]
    public void Proc_exit_throws_the_exit_code_as_a_trap()
    {
        var stdout = new List<string>();
        var guest = new WasiGuest(new WasiOptions { Stdout = WasiOutput.ToLines(stdout.Add) });
        guest.Memory.Write(1000, "unfinished line"u8);
        guest.WriteIovecs(100, (1000, 15));
        guest.Call("fd_write", 1, 100, 1, 200);

        var exit = Assert.Throws<WasiExitException>(() => guest.Function<Action<int>>("proc_exit")(42));
        Assert.Equal(42, exit.ExitCode);
        Assert.IsAssignableFrom<WasmTrapException>(exit);
        Assert.Equal(["unfinished line"], stdout);
    }

    [Fact]
    public void An_exit_wrapped_by_an_engine_is_still_found()
    {
        var wrapped = new WasmTrapException(TrapKind.HostFunctionFailed, "host failed", new WasiExitException(3));
        Assert.Equal(3, WasiExitException.Find(wrapped)?.ExitCode);
        Assert.Null(WasiExitException.Find(new WasmTrapException(TrapKind.Unreachable, "unreachable")));
    }

    [Fact]
    public void Sched_yield_succeeds_and_poll_oneoff_is_not_supported()
    {
        var guest = new WasiGuest(new WasiOptions());
        Assert.Equal(WasiErrno.Success, guest.Call("sched_yield"));
        Assert.Equal(WasiErrno.NoSys, guest.Call("poll_oneoff", 100, 200, 1, 300));
    }

    private static string ReadCString(ArrayMemory memory, uint address)
    {
        var span = memory.Span[(int)address..];
        return Encoding.UTF8.GetString(span[..span.IndexOf((byte)0)]);
    }
}
