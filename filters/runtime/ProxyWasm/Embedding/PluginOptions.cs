using ImageHub.Wasm;

namespace ImageHub.ProxyWasm;

/// <summary>
/// One plugin: a module, the root id it is started under and its configuration, like an
/// entry of Envoy's <c>envoy.filters.http.wasm</c> config.
/// </summary>
public sealed record PluginOptions
{
    /// <summary>The plugin's name: the key for hot swap, the log category and the metrics label.</summary>
    public required string Name { get; init; }

    /// <summary>The compiled-from-source .wasm bytes.</summary>
    public required ReadOnlyMemory<byte> Module { get; init; }

    /// <summary>Which root context of the module serves this plugin ("" for the default).</summary>
    public string RootId { get; init; } = "";

    /// <summary>Shared data and queues are scoped by VM id.</summary>
    public string VmId { get; init; } = "";

    /// <summary>The plugin configuration the filter reads in <c>proxy_on_configure</c> (usually JSON).</summary>
    public string Configuration { get; init; } = "";

    /// <summary>The VM configuration the filter reads in <c>proxy_on_vm_start</c>.</summary>
    public string VmConfiguration { get; init; } = "";

    /// <summary>When the filter fails: false (default) answers a local 503, true lets the request pass.</summary>
    public bool FailOpen { get; init; }

    /// <summary>How many VM replicas serve streams; null means one per processor.</summary>
    public int? Replicas { get; init; }

    /// <summary>Which replica a new stream is bound to.</summary>
    public ReplicaChoice ReplicaChoice { get; init; } = ReplicaChoice.RoundRobin;

    /// <summary>
    /// Memory and stack limits of each replica. The module's start function runs under
    /// <see cref="InstanceLimits.StartFuel"/>/<see cref="InstanceLimits.StartDeadline"/>; left null,
    /// they are <see cref="FuelPerCallback"/>/<see cref="DeadlinePerCallback"/>, so a start function
    /// that spins fails the load instead of hanging it.
    /// </summary>
    public InstanceLimits Limits { get; init; } = new() { MaxMemoryPages = 1024 };

    /// <summary>Fuel for one callback into the filter, and for the start function (null: unlimited).</summary>
    public long? FuelPerCallback { get; init; }

    /// <summary>
    /// Wall-clock budget for one callback into the filter (<c>_initialize</c>/<c>_start</c>/<c>main</c>
    /// at load included), and for the module's start function (null: unlimited).
    /// </summary>
    public TimeSpan? DeadlinePerCallback { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Environment variables the module sees through WASI.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];
}
