namespace ImageHub.Wasm.Wasi;

// clock_* and random_get.
public sealed partial class WasiHost
{
    private const long NanosecondsPerTick = 100;

    private int ClockResGet(WasmCaller caller, int clockId, int resolution)
    {
        ulong nanoseconds;
        switch ((WasiClockId)clockId)
        {
            case WasiClockId.Realtime:
            case WasiClockId.ProcessCpuTime:
                nanoseconds = NanosecondsPerTick;
                break;
            case WasiClockId.Monotonic:
                nanoseconds = (ulong)Math.Max(1, 1_000_000_000 / _options.Clock.TimestampFrequency);
                break;
            case WasiClockId.ThreadCpuTime:
                return Answer(WasiErrno.NotSupported);
            default:
                return Answer(WasiErrno.Invalid);
        }
        return Answer(GuestMemory.Of(caller).TryWriteUInt64(resolution, nanoseconds) ? WasiErrno.Success : WasiErrno.Fault);
    }

    private int ClockTimeGet(WasmCaller caller, int clockId, long precision, int time)
    {
        ulong nanoseconds;
        switch ((WasiClockId)clockId)
        {
            case WasiClockId.Realtime:
                nanoseconds = (ulong)((_options.Clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * NanosecondsPerTick);
                break;
            case WasiClockId.Monotonic:
                nanoseconds = (ulong)((Int128)_options.Clock.GetTimestamp() * 1_000_000_000 / _options.Clock.TimestampFrequency);
                break;
            case WasiClockId.ProcessCpuTime:
                nanoseconds = (ulong)(Environment.CpuUsage.TotalTime.Ticks * NanosecondsPerTick);
                break;
            case WasiClockId.ThreadCpuTime:
                // The guest shares its host thread with other work; there is no honest answer.
                return Answer(WasiErrno.NotSupported);
            default:
                return Answer(WasiErrno.Invalid);
        }
        return Answer(GuestMemory.Of(caller).TryWriteUInt64(time, nanoseconds) ? WasiErrno.Success : WasiErrno.Fault);
    }

    private int RandomGet(WasmCaller caller, int buffer, int length)
    {
        if (!GuestMemory.Of(caller).TryRange(buffer, (uint)length, out var target)) return Answer(WasiErrno.Fault);
        _options.Random(target);
        return Answer(WasiErrno.Success);
    }
}
