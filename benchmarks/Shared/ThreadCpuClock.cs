using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ImageHub.Benchmarks;

/// <summary>
/// CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>). On a shared machine a
/// busy neighbour stretches wall time while the benchmark waits for a core; the thread's CPU time
/// counts only the time it ran. Elsewhere it falls back to the wall clock.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    public static bool Available { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>Nanoseconds of CPU this thread used so far (wall-clock nanoseconds when unavailable).</summary>
    public static long Nanoseconds()
    {
        if (!Available) return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
        ClockGetTime(ClockThreadCpuTimeId, out var time);
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    private static bool Probe()
    {
        try { return ClockGetTime(ClockThreadCpuTimeId, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }
}
