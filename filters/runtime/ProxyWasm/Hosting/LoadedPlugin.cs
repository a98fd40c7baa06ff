using System.Security.Cryptography;
using System.Text;
using ImageHub.ProxyWasm.Abi;
using ImageHub.Wasm;
using Microsoft.Extensions.Logging;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// One loaded version of a plugin: the compiled module (shared by all replicas) and N replica
/// slots. A faulted replica leaves its slot at once and a fresh one is built for it; the
/// faulted one lives on, off the slots, until the streams bound to it end.
/// </summary>
/// <remarks>
/// Lock order: a replica's gate, then <see cref="_slotGate"/> — never the other way round
/// (a fault, inside a replica's gate, clears its slot).
/// </remarks>
internal sealed class LoadedPlugin : IDisposable
{
    private readonly PluginReplica?[] _slots;
    private readonly HashSet<PluginReplica> _live = [];
    private readonly Lock _slotGate = new();
    private int _nextSlot;
    // Counted per slot: every stream changes them, from every core.
    private readonly SlotCounter _streams, _activeStreams;
    private long _failures, _rebuilds, _localReplies;
    private bool _retired;
    private int _finishedReported;

    public LoadedPlugin(ProxyWasmHost host, PluginOptions options, IWasmModule module, AbiVersion abi)
    {
        Host = host;
        Options = options;
        _module = module;
        Abi = abi;
        ConfigurationBytes = Encoding.UTF8.GetBytes(options.Configuration);
        VmConfigurationBytes = Encoding.UTF8.GetBytes(options.VmConfiguration);
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(options.Module.Span));
        LoadedAt = host.Clock.GetUtcNow();
        Log = host.LoggerFactory.CreateLogger("ImageHub.ProxyWasm.Plugin." + options.Name);
        _slots = new PluginReplica?[Math.Max(1, options.Replicas ?? Environment.ProcessorCount)];
        _streams = new SlotCounter(_slots.Length);
        _activeStreams = new SlotCounter(_slots.Length);
        _failureCounter = host.Metrics.Define(options.Name, "wasm.failures", MetricType.Counter)!;
    }

    private readonly Metrics.Metric _failureCounter;

    public ProxyWasmHost Host { get; }
    public PluginOptions Options { get; }
    /// <summary>The compiled module; let go once the version is finished, so a handle kept after an unload does not pin it.</summary>
    public IWasmModule Module => Volatile.Read(ref _module) ?? throw new ObjectDisposedException(nameof(LoadedPlugin), $"plugin '{Options.Name}': this version was unloaded");

    private IWasmModule? _module;
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

    /// <summary>
    /// Binds a stream to a replica (<see cref="PluginOptions.ReplicaChoice"/>), or null once this
    /// version is retired (the caller then asks the current version). Throws
    /// <see cref="PluginLoadException"/> when a replica cannot be built.
    /// </summary>
    public StreamContext? OpenStream(StreamInfo info)
    {
        var slot = ChooseSlot();
        // A replica can fault between being picked and binding the stream; then its slot
        // already holds (or will build) a fresh one.
        for (var attempt = 0; attempt < 3 && !Volatile.Read(ref _retired); attempt++)
        {
            if (Replica(slot)?.OpenStream(info) is not { } stream) continue;
            _streams.Add(slot, 1);
            _activeStreams.Add(slot, 1);
            return stream;
        }
        return null;
    }

    private int ChooseSlot()
    {
        var count = (uint)_slots.Length;
        if (count == 1) return 0;
        return Options.ReplicaChoice == ReplicaChoice.ByProcessor
            ? (int)((uint)Thread.GetCurrentProcessorId() % count)
            : (int)((uint)Interlocked.Increment(ref _nextSlot) % count);
    }

    /// <summary>A stream that could not be bound (no replica could be built); it still counts and finishes.</summary>
    public void CountUnavailableStream()
    {
        _streams.Add(0, 1);
        _activeStreams.Add(0, 1);
    }

    /// <summary>A stream ended; <paramref name="slot"/> is the one it was counted in (0 for an unavailable stream).</summary>
    public void StreamFinished(int slot) => _activeStreams.Add(slot, -1);

    /// <summary>A newer version took over (or the plugin was unloaded): each replica finishes its streams, then ends.</summary>
    public void Retire()
    {
        foreach (var replica in TakeSlots()) replica.Retire();
        ReportIfFinished();
    }

    public void CountFailure()
    {
        Interlocked.Increment(ref _failures);
        _failureCounter.Add(1);
    }

    /// <summary>A replica faulted (called under its gate): its slot gets a fresh replica right away, off the failing thread.</summary>
    public void ReplicaFaulted(PluginReplica replica)
    {
        lock (_slotGate)
        {
            if (!ReferenceEquals(_slots[replica.Slot], replica)) return;
            _slots[replica.Slot] = null;
        }
        if (Volatile.Read(ref _retired)) return;
        Host.Post(() =>
        {
            try { Replica(replica.Slot); }
            catch (PluginLoadException failure) { Log.LogError("wasm filter '{Plugin}': replica {Slot} could not be rebuilt: {Reason}", Options.Name, replica.Slot, failure.Message); }
        });
    }

    /// <summary>A replica was discarded.</summary>
    public void ReplicaGone(PluginReplica replica)
    {
        lock (_slotGate)
        {
            _live.Remove(replica);
            if (ReferenceEquals(_slots[replica.Slot], replica)) _slots[replica.Slot] = null;
        }
        ReportIfFinished();
    }

    /// <summary>Tells the host once that this version is retired and has no replica left, so it can forget it.</summary>
    private void ReportIfFinished()
    {
        if (!Finished || Interlocked.Exchange(ref _finishedReported, 1) != 0) return;
        Volatile.Write(ref _module, null);
        Host.VersionFinished(this);
    }

    /// <summary>Retired and every replica gone.</summary>
    public bool Finished
    {
        get { lock (_slotGate) return _retired && _live.Count == 0; }
    }

    /// <summary>Replicas still alive: in a slot, or finishing their streams off the slots.</summary>
    public int LiveReplicas
    {
        get { lock (_slotGate) return _live.Count; }
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
        _streams.Sum(), _activeStreams.Sum(), Interlocked.Read(ref _failures),
        Interlocked.Read(ref _rebuilds), Interlocked.Read(ref _localReplies), LiveReplicas);

    /// <summary>The replica in a slot, built when the slot is empty; null once this version is retired.</summary>
    private PluginReplica? Replica(int slot)
    {
        if (Volatile.Read(ref _slots[slot]) is { } running) return running;
        lock (_slotGate)
        {
            if (_slots[slot] is { } existing) return existing;
            if (_retired) return null;
            Interlocked.Increment(ref _rebuilds);
            Log.LogWarning("wasm filter '{Plugin}': rebuilding replica {Slot} after a failure", Options.Name, slot);
            var replica = CreateReplica(slot);
            _slots[slot] = replica;
            return replica;
        }
    }

    private List<PluginReplica> TakeSlots()
    {
        lock (_slotGate)
        {
            _retired = true;
            var taken = _slots.OfType<PluginReplica>().ToList();
            Array.Clear(_slots);
            return taken;
        }
    }

    private PluginReplica CreateReplica(int slot)
    {
        PluginReplica? replica = null;
        try
        {
            replica = new PluginReplica(this, slot);
            replica.Start();
            lock (_slotGate) _live.Add(replica);
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

    /// <summary>Discards every replica now, those finishing their streams too (the host is going away).</summary>
    public void Dispose()
    {
        List<PluginReplica> live;
        lock (_slotGate)
        {
            _retired = true;
            Array.Clear(_slots);
            live = _live.ToList();
        }
        foreach (var replica in live) replica.Dispose();
    }
}
