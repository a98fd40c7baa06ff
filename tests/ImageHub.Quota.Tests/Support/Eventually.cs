using System.Diagnostics;

namespace ImageHub.Quota.Tests.Support;

/// <summary>Retries a call until it succeeds, for things that recover by themselves (a reconnect).</summary>
public static class Eventually
{
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> call, int withinSeconds = 15)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (clock.Elapsed < TimeSpan.FromSeconds(withinSeconds))
            {
                await Task.Delay(50);
            }
        }
    }
}
