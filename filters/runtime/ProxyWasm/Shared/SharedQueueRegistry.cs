using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Shared;

/// <summary>
/// Host-wide named queues. A root context registers a queue (VM id + name) and is told
/// through <c>proxy_on_queue_ready</c> when anyone enqueues; any context resolves the
/// token by name and enqueues or dequeues. Tokens are never 0.
/// </summary>
public sealed class SharedQueueRegistry
{
    private readonly Dictionary<(string VmId, string Name), uint> _tokens = new();
    private readonly Dictionary<uint, Queue> _queues = new();
    private readonly Lock _gate = new();
    private uint _lastToken;

    /// <summary>
    /// Registers (or re-registers) a queue; the latest registrant is the one notified,
    /// as in Envoy. Data already queued is kept.
    /// </summary>
    public uint Register(string vmId, string name, Action<uint> onReady)
    {
        lock (_gate)
        {
            if (!_tokens.TryGetValue((vmId, name), out var token))
            {
                do { token = ++_lastToken; } while (token == 0 || _queues.ContainsKey(token));
                _tokens[(vmId, name)] = token;
                _queues[token] = new Queue();
            }
            _queues[token].OnReady = onReady;
            return token;
        }
    }

    /// <summary>
    /// A registrant went away (its VM ended): it is notified no more, so the registry does not
    /// keep it alive. The queue and its data stay, as Envoy keeps them for the next registrant.
    /// </summary>
    public void Unsubscribe(Action<uint> onReady)
    {
        lock (_gate)
            foreach (var queue in _queues.Values)
                if (Equals(queue.OnReady, onReady)) queue.OnReady = null;
    }

    /// <summary>The token of a registered queue, or 0.</summary>
    public uint Resolve(string vmId, string name)
    {
        lock (_gate) return _tokens.GetValueOrDefault((vmId, name));
    }

    public WasmResult Enqueue(uint token, ReadOnlySpan<byte> data)
    {
        Action<uint>? notify;
        lock (_gate)
        {
            if (!_queues.TryGetValue(token, out var queue)) return WasmResult.NotFound;
            queue.Items.Enqueue(data.ToArray());
            notify = queue.OnReady;
        }
        notify?.Invoke(token);
        return WasmResult.Ok;
    }

    public WasmResult Dequeue(uint token, out byte[] data)
    {
        lock (_gate)
        {
            data = [];
            if (!_queues.TryGetValue(token, out var queue)) return WasmResult.NotFound;
            if (!queue.Items.TryDequeue(out var item)) return WasmResult.Empty;
            data = item;
            return WasmResult.Ok;
        }
    }

    private sealed class Queue
    {
        public Queue<byte[]> Items { get; } = new();
        public Action<uint>? OnReady { get; set; }
    }
}
