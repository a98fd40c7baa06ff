using System.Security.Cryptography;
using System.Text;
using ImageHub.ProxyWasm.Abi;
using ImageHub.Wasm;
using Microsoft.Extensions.Logging;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// One loaded version of a plugin: the compiled module (shared by all replicas) and N replica
/// slots. A failed replica is dropped from its slot and rebuilt for the next stream.
/// </summary>
internal sealed class LoadedPlugin : IDisposable
{
    private readonly PluginReplica?[] _slots;
    private readonly Lock _slotGate = new();
    private int _nextSlot;
    private long _streams, _activeStreams, _failures, _rebuilds, _localReplies;
    private bool _retired;

    public LoadedPlugin(ProxyWasmHost host, PluginOptions options, IWasmModule module, AbiVersion abi)
    {
        Host = host;
        Options = options;
        Module = module;
        Abi = abi;
        ConfigurationBytes = Encoding.UTF8.GetBytes(options.Configuration);
        VmConfigurationBytes = Encoding.UTF8.GetBytes(options.VmConfiguration);
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(options.Module.Span));
        LoadedAt = host.Clock.GetUtcNow();
        Log = host.LoggerFactory.CreateLogger("ImageHub.ProxyWasm.Plugin." + options.Name);
        _slots = new PluginReplica?[Math.Max(1, options.Replicas ?? Environment.ProcessorCount)];
        _failureCounter = host.Metrics.Define(options.Name, "wasm.failures", MetricType.Counter)!;
    }

    private readonly Metrics.Metric _failureCounter;

    public ProxyWasmHost Host { get; }
    public PluginOptions Options { get; }
    public IWasmModule Module { get; }
    public AbiVersion Abi { get; }
    public byte[] ConfigurationBytes { get; }
    public byte[] VmConfigurationBytes { get; }
    public string Sha256 { get; }
    public DateTimeOffset LoadedAt { get; }
    public ILogger Log { get; }

    /// <summary>Starts every replica now, so that a refused configuration fails the load and not a request.</summary>
    public void StartAll()
    {
        for (var i = 0; i < _slots.Length; i++) _slots[i] = CreateReplica(i);
    }

    public StreamContext OpenStream(StreamInfo info)
    {
        Interlocked.Increment(ref _streams);
        Interlocked.Increment(ref _activeStreams);
        var slot = (int)((uint)Interlocked.Increment(ref _nextSlot) % (uint)_slots.Length);
        return Replica(slot).OpenStream(info);
    }

    public void StreamFinished()
    {
        if (Interlocked.Decrement(ref _activeStreams) == 0 && Volatile.Read(ref _retired)) Dispose();
    }

    /// <summary>A newer version took over: finish the streams in flight, then let go.</summary>
    public void Retire()
    {
        Volatile.Write(ref _retired, true);
        if (Interlocked.Read(ref _activeStreams) == 0) Dispose();
    }

    public void ReplicaFailed(PluginReplica replica)
    {
        Interlocked.Increment(ref _failures);
        _failureCounter.Add(1);
        lock (_slotGate)
            if (ReferenceEquals(_slots[replica.Slot], replica)) _slots[replica.Slot] = null;
    }

    public void CountLocalReply() => Interlocked.Increment(ref _localReplies);

    public void WriteGuestLog(ProxyLogLevel level, string message)
    {
        var logLevel = level switch
        {
            ProxyLogLevel.Trace => LogLevel.Trace,
            ProxyLogLevel.Debug => LogLevel.Debug,
            ProxyLogLevel.Info => LogLevel.Information,
            ProxyLogLevel.Warn => LogLevel.Warning,
            ProxyLogLevel.Error => LogLevel.Error,
            _ => LogLevel.Critical,
        };
        // Envoy's format: "wasm log <plugin> <root id> <vm id>: <message>".
        if (Log.IsEnabled(logLevel)) Log.Log(logLevel, "wasm log {Plugin}{RootId}: {Message}", Options.Name, Options.RootId.Length > 0 ? " " + Options.RootId : "", message);
        Host.GuestLogObserver?.Invoke(new GuestLogEntry(Options.Name, level, message));
    }

    public PluginInfo Info() => new(
        Options.Name, Options.RootId, Options.VmId, Sha256, Abi.Display(), _slots.Length, LoadedAt, Options.FailOpen,
        Interlocked.Read(ref _streams), Interlocked.Read(ref _activeStreams), Interlocked.Read(ref _failures),
        Interlocked.Read(ref _rebuilds), Interlocked.Read(ref _localReplies));

    private PluginReplica Replica(int slot)
    {
        if (Volatile.Read(ref _slots[slot]) is { } running) return running;
        lock (_slotGate)
        {
            if (_slots[slot] is { } existing) return existing;
            Interlocked.Increment(ref _rebuilds);
            Log.LogWarning("wasm filter '{Plugin}': rebuilding replica {Slot} after a failure", Options.Name, slot);
            var replica = CreateReplica(slot);
            _slots[slot] = replica;
            return replica;
        }
    }

    private PluginReplica CreateReplica(int slot)
    {
        PluginReplica? replica = null;
        try
        {
            replica = new PluginReplica(this, slot);
            replica.Start();
            return replica;
        }
        catch (WasmLinkException)
        {
            replica?.Dispose();
            throw;
        }
        catch (Exception failure)
        {
            replica?.Dispose();
            var reason = failure is WasmTrapException trap ? $"trap {trap.Kind} while starting: {trap.Message}" : failure.Message;
            throw new PluginLoadException(Options.Name, reason, failure);
        }
    }

    public void Dispose()
    {
        lock (_slotGate)
            for (var i = 0; i < _slots.Length; i++)
            {
                _slots[i]?.Dispose();
                _slots[i] = null;
            }
    }
}
