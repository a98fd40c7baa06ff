using System.Diagnostics;
using System.Globalization;

namespace ImageHub.Quota.Bench;

/// <summary>
/// CPU time used by this process (client and, for HTTP cases, the service) and by redis-server.
/// On a shared machine wall-clock rates depend on what else runs; CPU time per decision depends on
/// it much less, so it tells roughly what a decision costs.
/// </summary>
internal sealed class CpuMeter(int redisProcessId)
{
    // Linux reports /proc/<pid>/stat times in clock ticks of 1/100 s (USER_HZ) on every common build.
    private const double TicksPerSecond = 100;

    public (TimeSpan Service, TimeSpan Redis) Read()
    {
        using var self = Process.GetCurrentProcess();
        return (self.TotalProcessorTime, RedisCpu());
    }

    private TimeSpan RedisCpu()
    {
        var path = $"/proc/{redisProcessId}/stat";
        if (!File.Exists(path)) return TimeSpan.Zero;
        var stat = File.ReadAllText(path);
        // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
