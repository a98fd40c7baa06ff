namespace ImageHub.ProxyWasm;

/// <summary>Which replica of a plugin a new stream is bound to (for its whole life).</summary>
public enum ReplicaChoice
{
    /// <summary>One after the other: predictable, what tests rely on.</summary>
    RoundRobin,

    /// <summary>
    /// The replica of the processor the stream opens on (its number modulo the replica count),
    /// the nearest thing to Envoy's VM per worker thread: streams opened at the same moment on
    /// different cores use different replicas, so they rarely wait for each other's callbacks,
    /// and a replica's memory tends to stay in one core's cache.
    /// </summary>
    ByProcessor,
}
