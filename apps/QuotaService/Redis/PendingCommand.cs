using System.Diagnostics;

namespace ImageHub.Quota.Redis;

/// <summary>A command on its way: its encoded bytes, when it was sent, and the caller's task.</summary>
internal sealed class PendingCommand(byte[] payload) : TaskCompletionSource<RedisReply>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public byte[] Payload { get; } = payload;
    public long SentAt { get; } = Stopwatch.GetTimestamp();
}
