using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Tests.Wasi;

public class WasiClockAndRandomTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 4, 5, TimeSpan.Zero);

    private readonly WasiGuest _guest = new(new WasiOptions
    {
        Clock = new FixedClock(Now.AddTicks(7), timestamp: 5_000, frequency: 1_000),
        Random = buffer => { for (var i = 0; i < buffer.Length; i++) buffer[i] = (byte)(i + 1); },
    });

    private WasiErrno ClockTimeGet(int id, int at) =>
        (WasiErrno)_guest.Function<Func<WasmCaller, int, long, int, int>>("clock_time_get")(_guest.Caller, id, 1, at);

    [Fact]
    public void Realtime_is_nanoseconds_since_the_Unix_epoch()
    {
        Assert.Equal(WasiErrno.Success, ClockTimeGet(0, 100));
        Assert.Equal((ulong)Now.ToUnixTimeMilliseconds() * 1_000_000 + 700, _guest.Memory.ReadUInt64(100));
    }

    [Fact]
    public void Monotonic_is_the_timestamp_in_nanoseconds()
    {
        Assert.Equal(WasiErrno.Success, ClockTimeGet(1, 100));
        Assert.Equal(5_000_000_000UL, _guest.Memory.ReadUInt64(100));
        Assert.Equal(WasiErrno.Success, _guest.Call("clock_res_get", 1, 200));
        Assert.Equal(1_000_000UL, _guest.Memory.ReadUInt64(200));
    }

    [Fact]
    public void Process_cpu_time_is_positive()
    {
        Assert.Equal(WasiErrno.Success, ClockTimeGet(2, 100));
        Assert.True(_guest.Memory.ReadUInt64(100) > 0);
    }

    [Fact]
    public void Unknown_clocks_are_EINVAL_and_bad_pointers_EFAULT()
    {
        Assert.Equal(WasiErrno.Invalid, ClockTimeGet(4, 100));
        Assert.Equal(WasiErrno.Invalid, ClockTimeGet(-1, 100));
        Assert.Equal(WasiErrno.NotSupported, ClockTimeGet(3, 100));
        Assert.Equal(WasiErrno.Fault, ClockTimeGet(0, 65530));
        Assert.Equal(WasiErrno.Invalid, _guest.Call("clock_res_get", 9, 100));
        Assert.Equal(WasiErrno.Fault, _guest.Call("clock_res_get", 0, 65533));
    }

    [Fact]
    public void Random_get_fills_exactly_the_buffer_from_the_source()
    {
        Assert.Equal(WasiErrno.Success, _guest.Call("random_get", 1000, 4));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 0 }, _guest.Memory.Span.Slice(999, 6).ToArray());
    }

    [Fact]
    public void Random_get_outside_memory_is_EFAULT()
    {
        Assert.Equal(WasiErrno.Fault, _guest.Call("random_get", 65530, 7));
        Assert.Equal(WasiErrno.Fault, _guest.Call("random_get", 0, -1));
        Assert.Equal(0, _guest.Memory.Span[65530]);
    }

    [Fact]
    public void The_default_random_source_is_not_constant()
    {
        var guest = new WasiGuest(new WasiOptions());
        guest.Call("random_get", 0, 32);
        guest.Call("random_get", 32, 32);
        Assert.NotEqual(guest.Memory.Span[..32].ToArray(), guest.Memory.Span[32..64].ToArray());
    }
}
