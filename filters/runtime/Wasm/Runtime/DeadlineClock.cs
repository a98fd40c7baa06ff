using System.Diagnostics;

namespace ImageHub.Wasm.Runtime;

/// <summary>
/// A clock that compiled loops read with one memory load instead of a call: a background
/// thread stores <see cref="Stopwatch.GetTimestamp"/> about every millisecond while some
/// deadline is pending, and sleeps otherwise. A call inside a loop would make the JIT keep the
/// loop's values on the stack instead of in registers; a load does not.
/// </summary>
internal static class DeadlineClock
{
    /// <summary>
    /// The timestamp lives in an object that every instance references, so compiled code reads it
    /// through its instance: a load from a constant address would take a register for the address.
    /// </summary>
    public static readonly Reading Shared = new() { Timestamp = Stopwatch.GetTimestamp() };

    public sealed class Reading
    {
        public long Timestamp;
    }

    private static long _latestDeadline;
    private static readonly object Gate = new();
    private static Thread? _ticker;
    private static bool _parked;

    private static bool _ticking;

    /// <summary>A recent timestamp, never ahead of the real clock: at most a tick (plus scheduling delay) behind.</summary>
    public static long Now => Volatile.Read(ref Shared.Timestamp);

    /// <summary>Whether <see cref="Now"/> is being refreshed, so that it is at most a tick old.</summary>
    public static bool Ticking => Volatile.Read(ref _ticking);

    /// <summary>
    /// Ticks armed beyond the deadline asked for, so that the calls that follow within this time
    /// (a host sets a deadline per callback) find the clock armed already and take no lock.
    /// </summary>
    private static readonly long Slack = Stopwatch.Frequency / 50;

    /// <summary>Keeps the clock ticking until <paramref name="deadline"/> (a Stopwatch timestamp) has passed.</summary>
    public static void Arm(long deadline)
    {
        // The ticker parks only once the latest deadline has passed (checked again under the lock),
        // and whoever raised that deadline woke it: nothing to do for an earlier one.
        long latest = Volatile.Read(ref _latestDeadline);
        if (deadline <= latest) return;
        long target = deadline + Slack;
        while (target > latest)
        {
            long seen = Interlocked.CompareExchange(ref _latestDeadline, target, latest);
            if (seen == latest) break;
            latest = seen;
        }
        lock (Gate)
        {
            if (_ticker is null)
            {
                _ticker = new Thread(Tick) { IsBackground = true, Name = "wasm deadline clock" };
                _ticker.Start();
            }
            else if (_parked) Monitor.Pulse(Gate);
        }
    }

    /// <summary>Instances that have had a deadline; weakly held, so a dropped instance is collected.</summary>
    private static WeakReference<WasmInstance>[] _watched = [];

    /// <summary>
    /// Watches <paramref name="instance"/>'s deadline from now on: once it has passed, every tick sets
    /// the instance's stack limit to the highest address, so the next function entry's stack check
    /// takes the slow path, which finds the deadline passed and traps (see <see cref="Guard"/>).
    /// </summary>
    public static void Watch(WasmInstance instance)
    {
        lock (Gate)
        {
            if (instance.Watched) return;
            instance.Watched = true;
            var live = _watched.Where(w => w.TryGetTarget(out _)).ToList();
            live.Add(new WeakReference<WasmInstance>(instance));
            Volatile.Write(ref _watched, live.ToArray());
        }
    }

    /// <summary>Stops every watched instance whose deadline is at or before <paramref name="now"/>; returns whether one was running on.</summary>
    private static bool StopExpired(long now)
    {
        bool stopped = false;
        foreach (var watched in Volatile.Read(ref _watched))
            if (watched.TryGetTarget(out var instance) && instance.DeadlineTimestamp <= now && Volatile.Read(ref instance.StackLimit) != nuint.MaxValue)
            {
                instance.StackLimit = nuint.MaxValue;
                stopped = true;
            }
        return stopped;
    }

    private static void Tick()
    {
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            Volatile.Write(ref Shared.Timestamp, now);
            Volatile.Write(ref _ticking, true);
            // After the timestamp: a running thread that overwrites a stop and then reads the clock sees this tick's time.
            StopExpired(now);
            if (now > Volatile.Read(ref _latestDeadline))
            {
                // Before parking: a running thread may have overwritten a stop and read an older
                // timestamp before its store was visible. The process-wide barrier makes every store
                // made so far visible; then either this look sees it, or that thread's later check
                // sees this timestamp (see Guard.SetStackLimit). A stop made here ticks once more.
                Interlocked.MemoryBarrierProcessWide();
                if (StopExpired(now)) continue;
                lock (Gate)
                {
                    // Checked again under the lock, so an Arm racing with this either is seen here or pulses the wait.
                    if (Stopwatch.GetTimestamp() > Volatile.Read(ref _latestDeadline))
                    {
                        _parked = true;
                        Volatile.Write(ref _ticking, false);
                        Monitor.Wait(Gate);
                        _parked = false;
                    }
                }
                continue;
            }
            Thread.Sleep(1);
        }
    }
}
