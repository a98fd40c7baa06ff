using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ImageHub.Wasm.Benchmarks;

/// <summary>
/// What the runners time: CPU time of the running thread by default, so that numbers stay
/// comparable on a machine shared with other work; wall-clock time when BENCH_CLOCK=wall.
/// The native and V8 runners read the same variable.
/// </summary>
internal static partial class BenchClock
{
    private const int ClockThreadCpuTime = 3;   // CLOCK_THREAD_CPUTIME_ID on Linux

    public static bool Wall { get; } = Environment.GetEnvironmentVariable("BENCH_CLOCK") == "wall" || !OperatingSystem.IsLinux();

    public static string Name => Wall ? "wall-clock" : "CPU";

    public static double NowMs()
    {
        if (Wall) return Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
        ClockGetTime(ClockThreadCpuTime, out var time);
        return time.Seconds * 1e3 + time.Nanoseconds / 1e6;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
