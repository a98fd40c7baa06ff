using System.Diagnostics;
using ImageHub.Quota.Store;

namespace ImageHub.Quota.Apis;

/// <summary>
/// Turns a store outage into a 503 problem+json, so callers (the rate-limit filter) can fail open.
/// Logs the outage at most once every few seconds: at thousands of requests a second, one line
/// per failed request would bury everything else.
/// </summary>
internal sealed class StoreOutageFilter(ILogger<StoreOutageFilter> logger) : IEndpointFilter
{
    private static readonly long LogInterval = 5 * Stopwatch.Frequency;
    private static long _nextLogAt;
    private static long _suppressed;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (QuotaStoreUnavailableException ex)
        {
            LogThrottled(ex.Message);
            return ApiProblems.StoreUnavailable(ex.Message);
        }
    }

    private void LogThrottled(string reason)
    {
        var now = Stopwatch.GetTimestamp();
        var due = Interlocked.Read(ref _nextLogAt);
        if (now < due || Interlocked.CompareExchange(ref _nextLogAt, now + LogInterval, due) != due)
        {
            Interlocked.Increment(ref _suppressed);
            return;
        }
        var suppressed = Interlocked.Exchange(ref _suppressed, 0);
        logger.LogWarning("Quota store unavailable, answering 503 ({Suppressed} more since the last report): {Reason}", suppressed, reason);
    }
}
