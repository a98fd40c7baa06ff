using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Stats;

namespace ImageHub.Sidecar.Upstream;

/// <summary>All clusters of the bootstrap by name; the router and filter callouts both use it.</summary>
public sealed class ClusterManager : IDisposable
{
    private readonly Dictionary<string, UpstreamCluster> _clusters;

    public ClusterManager(IEnumerable<ClusterConfig> clusters, StatsStore stats)
    {
        _clusters = clusters.ToDictionary(c => c.Name, c => new UpstreamCluster(c, stats));
    }

    public IReadOnlyCollection<UpstreamCluster> All => _clusters.Values;

    public UpstreamCluster? Find(string name) => _clusters.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var cluster in _clusters.Values) cluster.Dispose();
    }
}
