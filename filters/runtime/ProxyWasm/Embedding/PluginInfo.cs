namespace ImageHub.ProxyWasm;

/// <summary>What an admin <c>/filters</c> endpoint shows about a loaded plugin version.</summary>
/// <param name="Replicas">Replica slots of this version (the configured count).</param>
/// <param name="LiveReplicas">
/// Replicas of this version still alive: those in a slot plus those retired after a failure (or
/// by an unload or a hot swap) that still finish their streams or wait for <c>proxy_done</c>.
/// Above <paramref name="Replicas"/> while a faulted replica drains; 0 once an unloaded version is gone.
/// </param>
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
    long LocalReplies,
    int LiveReplicas);
