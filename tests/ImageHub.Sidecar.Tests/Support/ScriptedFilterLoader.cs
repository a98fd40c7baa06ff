using System.Text;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Proxy;

namespace ImageHub.Sidecar.Tests.Support;

/// <summary>
/// Stands in for the Proxy-Wasm host to test the sidecar's own chain and swap mechanics: the
/// "code" is a one-line script (<c>tag NAME</c>, <c>reply STATUS</c>, <c>throw</c>, <c>gate</c>).
/// It is not a filter: the real filters run through the real host in the host-backed tests.
/// </summary>
public sealed class ScriptedFilterLoader : IWasmFilterLoader
{
    public List<ScriptedFilter> Loaded { get; } = [];

    /// <summary>Requests through a "gate" filter wait here until released.</summary>
    public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LoadedWasm Load(WasmFilterConfig config, ReadOnlyMemory<byte> code, int replicas)
    {
        var script = Encoding.UTF8.GetString(code.Span).Trim();
        var parts = script.Split(' ', 2);
        if (parts[0] is not ("tag" or "reply" or "throw" or "gate"))
            throw new FilterLoadException($"filter {config.PluginName}: not a module: \"{script}\"");
        var filter = new ScriptedFilter(config.PluginName, parts[0], parts.Length > 1 ? parts[1] : "", this);
        lock (Loaded) Loaded.Add(filter);
        return new LoadedWasm(filter, "0.2.1");
    }
}

public sealed class ScriptedFilter(string name, string verb, string argument, ScriptedFilterLoader loader) : IHttpFilter
{
    public string Name { get; } = name;
    public string Argument { get; } = argument;
    public bool Disposed { get; private set; }

    public IHttpFilterStream OpenStream(FilterStreamInfo info) => new Stream(this, verb, loader);

    public void Dispose() => Disposed = true;

    private sealed class Stream(ScriptedFilter filter, string verb, ScriptedFilterLoader loader) : IHttpFilterStream
    {
        public bool WantsRequestBody => false;

        public async ValueTask<FilterVerdict> OnRequestHeadersAsync(HttpHeaderMap headers, bool endOfStream, CancellationToken ct)
        {
            switch (verb)
            {
                case "throw": throw new InvalidOperationException("trap: unreachable");
                case "reply": return FilterVerdict.Reply(ProxyResponse.Local(int.Parse(filter.Argument), $"reply from {filter.Name}", "wasm_local_reply"));
                case "gate": await loader.Gate.Task.WaitAsync(ct); break;
            }
            headers.Add("x-seen-by", $"{filter.Name}:{filter.Argument}");
            return FilterVerdict.Continue;
        }

        public ValueTask<FilterVerdict> OnRequestBodyAsync(ReadOnlyMemory<byte> body, bool endOfStream, CancellationToken ct) =>
            ValueTask.FromResult(FilterVerdict.Continue);

        public ValueTask<FilterVerdict> OnResponseHeadersAsync(HttpHeaderMap headers, bool endOfStream, CancellationToken ct)
        {
            headers.Add("x-response-by", $"{filter.Name}:{filter.Argument}");
            return ValueTask.FromResult(FilterVerdict.Continue);
        }

        public void Complete(string? responseCodeDetails) { }
    }
}
