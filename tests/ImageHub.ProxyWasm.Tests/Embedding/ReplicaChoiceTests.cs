using ImageHub.ProxyWasm.Testing;
using ImageHub.ProxyWasm.Tests.Conformance;

namespace ImageHub.ProxyWasm.Tests.Embedding;

/// <summary>
/// Which replica a stream is bound to. Context ids are numbered per replica (its root is 1, its
/// streams 2, 3, ...), so the ids of the streams opened one after the other tell the replicas apart.
/// </summary>
public class ReplicaChoiceTests
{
    private static readonly byte[] Conformance = File.ReadAllBytes(ConformanceFilters.Path("conformance"));

    private static PluginHandle Load(ProxyWasmHost host, ReplicaChoice choice) => host.LoadPlugin(new PluginOptions
    {
        Name = "choice", Module = Conformance, RootId = "pass-through", Configuration = "{}", Replicas = 2, ReplicaChoice = choice,
    });

    [Fact]
    public void Round_robin_alternates_between_the_replicas()
    {
        using var host = new ProxyWasmHost(FilterHarness.EngineFactory());
        var plugin = Load(host, ReplicaChoice.RoundRobin);
        var ids = Enumerable.Range(0, 4).Select(_ => { using var stream = plugin.OpenStream(); return stream.ContextId; }).ToList();
        Assert.Equal([2, 2, 3, 3], ids);
    }

    [Fact]
    public void By_processor_binds_a_stream_to_the_replica_of_the_core_it_opens_on()
    {
        using var host = new ProxyWasmHost(FilterHarness.EngineFactory());
        var plugin = Load(host, ReplicaChoice.ByProcessor);
        // Streams whose thread stayed on one core while opening: each replica (core number
        // modulo 2) numbers its own streams 2, 3, 4, ... with no gaps.
        var next = new Dictionary<int, int> { [0] = 2, [1] = 2 };
        var checkedStreams = 0;
        for (var i = 0; i < 200 && checkedStreams < 20; i++)
        {
            var before = Thread.GetCurrentProcessorId();
            var stream = plugin.OpenStream();
            var after = Thread.GetCurrentProcessorId();
            var replica = before % 2;
            if (before != after)
            {
                next[replica] = next[after % 2] = -1; // moved while opening: can't tell which it got
                stream.Complete();
                continue;
            }
            if (next[replica] > 0)
            {
                Assert.Equal(next[replica], stream.ContextId);
                checkedStreams++;
            }
            next[replica] = next[replica] > 0 ? stream.ContextId + 1 : -1;
            stream.Complete();
        }
        Assert.True(checkedStreams > 0, "the thread moved between cores on every stream");
    }
}
