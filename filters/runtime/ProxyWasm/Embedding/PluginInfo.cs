namespace ImageHub.ProxyWasm;

/// <summary>What an admin <c>/filters</c> endpoint shows about a loaded plugin version.</summary>
public sealed record PluginInfo(
    string Name,
    string RootId,
    string VmId,
    string Sha256,
    string AbiVersion,
    int Replicas,
    DateTimeOffset LoadedAt,
    bool FailOpen,
    long Streams,
    long ActiveStreams,
    long Failures,
    long ReplicaRebuilds,
    long LocalReplies);
