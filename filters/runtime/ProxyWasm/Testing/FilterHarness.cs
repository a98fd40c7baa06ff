using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Metrics;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Testing;

/// <summary>
/// Runs one real .wasm filter on the real host and engine for a unit test, with no sockets:
/// open exchanges, send headers and bodies, read what the filter did (action, changed headers,
/// local reply, logs, metrics), answer its HTTP callouts, move time. Everything happens on the
/// test's thread, in order.
/// </summary>
public sealed class FilterHarness : IDisposable
{
    private readonly Queue<Action> _scheduled = new();
    private readonly List<GuestLogEntry> _logs = [];
    private readonly List<PendingCallout> _callouts = [];
    private readonly List<HttpExchange> _exchanges = [];
    private readonly RecordingLoggerProvider _hostLog = new();
    private bool _running;
    private long _connections;

    /// <summary>The engine the harness runs filters on; the project's own engine unless a test changes it.</summary>
    public static Func<IWasmEngine> EngineFactory { get; set; } = DefaultEngine.Create;

    private FilterHarness(HarnessOptions options)
    {
        Clock = new ManualClock();
        Callouts = new HarnessCallouts(this, options.Clusters);
        Host = new ProxyWasmHost(options.Engine ?? EngineFactory(), new ProxyWasmHostOptions
        {
            Clock = Clock,
            Callouts = Callouts,
            LoggerFactory = _hostLog,
            Scheduler = work => { lock (_scheduled) _scheduled.Enqueue(work); },
            GuestLogObserver = entry => { lock (_logs) _logs.Add(entry); },
            LogLevel = options.LogLevel,
        });
    }

    /// <summary>Loads the filter at <paramref name="wasmPath"/> with this plugin configuration.</summary>
    public static FilterHarness Load(string wasmPath, string configuration = "", HarnessOptions? options = null)
    {
        if (!File.Exists(wasmPath))
            throw new FileNotFoundException($"no filter at {wasmPath}: build the filters first (scripts/build --filters-only)", wasmPath);
        return Load(File.ReadAllBytes(wasmPath), configuration, options, Path.GetFileNameWithoutExtension(wasmPath));
    }

    public static FilterHarness Load(byte[] module, string configuration = "", HarnessOptions? options = null, string name = "filter-under-test")
    {
        options ??= new HarnessOptions();
        var harness = new FilterHarness(options);
        try
        {
            harness.Plugin = harness.Host.LoadPlugin(new PluginOptions
            {
                Name = options.Name ?? name,
                Module = module,
                Configuration = configuration,
                VmConfiguration = options.VmConfiguration,
                RootId = options.RootId,
                VmId = options.VmId,
                FailOpen = options.FailOpen,
                Replicas = options.Replicas,
                Limits = options.Limits ?? new InstanceLimits { MaxMemoryPages = 1024 },
                FuelPerCallback = options.FuelPerCallback,
                DeadlinePerCallback = options.DeadlinePerCallback,
            });
            harness.RunPending();
            return harness;
        }
        catch
        {
            harness.Dispose();
            throw;
        }
    }

    public ProxyWasmHost Host { get; }
    public PluginHandle Plugin { get; private set; } = null!;
    public ManualClock Clock { get; }
    internal HarnessCallouts Callouts { get; }

    /// <summary>Everything the filter logged, in order.</summary>
    public IReadOnlyList<GuestLogEntry> Logs
    {
        get { lock (_logs) return _logs.ToList(); }
    }

    public IReadOnlyList<string> LogMessages => Logs.Select(l => l.Message).ToList();

    /// <summary>The messages logged at <paramref name="level"/> or above (SDKs log a lot at debug).</summary>
    public IReadOnlyList<string> MessagesAtLeast(ProxyLogLevel level) => Logs.Where(l => l.Level >= level).Select(l => l.Message).ToList();

    /// <summary>What the host logged about the filter (failures, rebuilds).</summary>
    public IReadOnlyList<string> HostLogs => _hostLog.Lines;

    /// <summary>Callouts the filter made that the test has not answered yet.</summary>
    public IReadOnlyList<PendingCallout> PendingCallouts => _callouts.Where(c => !c.Answered).ToList();

    /// <summary>Every callout the filter made.</summary>
    public IReadOnlyList<PendingCallout> AllCallouts => _callouts.ToList();

    public PluginInfo Info => Plugin.Info;

    /// <summary>The value of a metric the filter defined (counter total, gauge value, histogram sample count), or null.</summary>
    public long? Metric(string name) => Host.Metrics.Find(Plugin.Name, name)?.Value;

    public IReadOnlyList<MetricSnapshot> Metrics => Host.Metrics.Snapshot(Plugin.Name);

    /// <summary>A new request through the filter; nothing is sent yet.</summary>
    public HttpExchange NewExchange(StreamInfo? info = null)
    {
        var exchange = new HttpExchange(this, Plugin.OpenStream(info ?? new StreamInfo
        {
            SourceAddress = "127.0.0.1", SourcePort = 50000, DestinationAddress = "127.0.0.1", DestinationPort = 8080,
            ConnectionId = (ulong)Interlocked.Increment(ref _connections), StartTime = Clock.GetUtcNow(),
        }));
        _exchanges.Add(exchange);
        return exchange;
    }

    /// <summary>Opens an exchange and sends its request headers.</summary>
    public HttpExchange Request(string method, string path, string authority = "localhost", params (string Name, string Value)[] headers)
    {
        var exchange = NewExchange();
        exchange.SendRequestHeaders(method, path, authority, headers);
        return exchange;
    }

    /// <summary>Moves the clock: tick timers and callout timeouts that fall due fire.</summary>
    public void AdvanceTime(TimeSpan by)
    {
        Clock.Advance(by);
        RunPending();
    }

    /// <summary>Runs work the host deferred (queue notifications, late deliveries) and settles local replies.</summary>
    internal void RunPending()
    {
        if (_running) return;
        _running = true;
        try
        {
            while (true)
            {
                Action? next;
                lock (_scheduled) _scheduled.TryDequeue(out next);
                if (next is null) break;
                next();
            }
            for (var i = _exchanges.Count - 1; i >= 0; i--) _exchanges[i].Settle();
        }
        finally
        {
            _running = false;
        }
    }

    internal void Forget(HttpExchange exchange) => _exchanges.Remove(exchange);

    internal PendingCallout AddCallout(HttpCalloutRequest request, CancellationToken cancellation)
    {
        var callout = new PendingCallout(this, request, cancellation);
        _callouts.Add(callout);
        return callout;
    }

    public void Dispose()
    {
        foreach (var exchange in _exchanges.ToList()) exchange.Complete();
        Host.Dispose();
    }
}

/// <summary>How the harness loads the filter.</summary>
public sealed record HarnessOptions
{
    public string? Name { get; init; }
    public string RootId { get; init; } = "";
    public string VmId { get; init; } = "";
    public string VmConfiguration { get; init; } = "";
    public bool FailOpen { get; init; }

    /// <summary>One replica by default, so that a test sees one VM's state.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Clusters callouts may go to; null accepts any name.</summary>
    public IReadOnlyCollection<string>? Clusters { get; init; }

    public InstanceLimits? Limits { get; init; }
    public long? FuelPerCallback { get; init; }
    public TimeSpan? DeadlinePerCallback { get; init; } = TimeSpan.FromSeconds(5);
    public ProxyLogLevel LogLevel { get; init; } = ProxyLogLevel.Trace;
    public IWasmEngine? Engine { get; init; }
}

/// <summary>Callouts wait for the test to answer them.</summary>
internal sealed class HarnessCallouts(FilterHarness harness, IReadOnlyCollection<string>? clusters) : IHttpCalloutDispatcher
{
    public bool HasCluster(string cluster) => clusters is null || clusters.Contains(cluster);

    public Task<HttpCalloutResponse> SendAsync(HttpCalloutRequest request, CancellationToken cancellationToken) =>
        harness.AddCallout(request, cancellationToken).Answer;
}
