namespace ImageHub.Wasm.Wasi;

// proc_exit, sched_yield, poll_oneoff.
public sealed partial class WasiHost
{
    private void ProcExit(int exitCode)
    {
        _streams.FlushAll();
        throw new WasiExitException(exitCode);
    }

    private static int SchedYield()
    {
        Thread.Yield();
        return Answer(WasiErrno.Success);
    }

    // Sleeping or waiting on descriptors would block a host thread that serves other guests.
    private static int PollOneoff(int subscriptions, int events, int subscriptionCount, int eventCount) =>
        Answer(WasiErrno.NoSys);
}
