using System.Diagnostics;
using ImageHub.Benchmarks;

namespace ImageHub.Wasm.Benchmarks;

/// <summary>
/// What the runners time: CPU time of the running thread by default, so that numbers stay
/// comparable on a machine shared with other work; wall-clock time when BENCH_CLOCK=wall.
/// The native and V8 runners read the same variable.
/// </summary>
internal static class BenchClock
{
    public static bool Wall { get; } = Environment.GetEnvironmentVariable("BENCH_CLOCK") == "wall" || !ThreadCpuClock.Available;

    public static string Name => Wall ? "wall-clock" : "CPU";

    public static double NowMs() => Wall
        ? Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency
        : ThreadCpuClock.Nanoseconds() / 1e6;
}
