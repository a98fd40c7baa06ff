using ImageHub.ProxyWasm.Abi;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// The module's <c>proxy_on_*</c> entry points, bound once per instance as typed delegates.
/// A missing export is null: the host then behaves as if the filter had continued.
/// </summary>
internal sealed class GuestExports
{
    public Action? Initialize { get; }
    public Action? Start { get; }
    public Func<int, int, int>? Main { get; }
    public Func<int, int> Allocate { get; }
    public Action<int, int>? OnContextCreate { get; }
    public Func<int, int, int>? OnVmStart { get; }
    public Func<int, int, int>? OnConfigure { get; }
    public Action<int>? OnTick { get; }
    public Action<int, int>? OnQueueReady { get; }
    public Func<int, int, int, int>? OnRequestHeaders { get; }
    public Func<int, int, int>? OnRequestHeadersAbi01 { get; }
    public Func<int, int, int, int>? OnRequestBody { get; }
    public Func<int, int, int>? OnRequestTrailers { get; }
    public Func<int, int, int, int>? OnResponseHeaders { get; }
    public Func<int, int, int>? OnResponseHeadersAbi01 { get; }
    public Func<int, int, int, int>? OnResponseBody { get; }
    public Func<int, int, int>? OnResponseTrailers { get; }
    public Action<int, int, int, int, int>? OnHttpCallResponse { get; }
    public Func<int, int>? OnDone { get; }
    public Action<int>? OnLog { get; }
    public Action<int>? OnDelete { get; }

    public GuestExports(IWasmInstance instance, AbiVersion abi)
    {
        Initialize = instance.GetFunction<Action>("_initialize");
        Start = Initialize is null ? instance.GetFunction<Action>("_start") : null;
        Main = Initialize is not null ? TryGet<Func<int, int, int>>(instance, "main") : null;
        Allocate = instance.GetFunction<Func<int, int>>("malloc")
            ?? instance.GetFunction<Func<int, int>>("proxy_on_memory_allocate")
            ?? throw new InvalidOperationException("the module exports neither malloc nor proxy_on_memory_allocate");
        OnContextCreate = instance.GetFunction<Action<int, int>>("proxy_on_context_create");
        OnVmStart = instance.GetFunction<Func<int, int, int>>("proxy_on_vm_start");
        OnConfigure = instance.GetFunction<Func<int, int, int>>("proxy_on_configure");
        OnTick = instance.GetFunction<Action<int>>("proxy_on_tick");
        OnQueueReady = instance.GetFunction<Action<int, int>>("proxy_on_queue_ready");
        if (abi == AbiVersion.V0_1_0)
        {
            OnRequestHeadersAbi01 = instance.GetFunction<Func<int, int, int>>("proxy_on_request_headers");
            OnResponseHeadersAbi01 = instance.GetFunction<Func<int, int, int>>("proxy_on_response_headers");
        }
        else
        {
            OnRequestHeaders = instance.GetFunction<Func<int, int, int, int>>("proxy_on_request_headers");
            OnResponseHeaders = instance.GetFunction<Func<int, int, int, int>>("proxy_on_response_headers");
        }
        OnRequestBody = instance.GetFunction<Func<int, int, int, int>>("proxy_on_request_body");
        OnRequestTrailers = instance.GetFunction<Func<int, int, int>>("proxy_on_request_trailers");
        OnResponseBody = instance.GetFunction<Func<int, int, int, int>>("proxy_on_response_body");
        OnResponseTrailers = instance.GetFunction<Func<int, int, int>>("proxy_on_response_trailers");
        OnHttpCallResponse = instance.GetFunction<Action<int, int, int, int, int>>("proxy_on_http_call_response");
        OnDone = instance.GetFunction<Func<int, int>>("proxy_on_done");
        OnLog = instance.GetFunction<Action<int>>("proxy_on_log");
        OnDelete = instance.GetFunction<Action<int>>("proxy_on_delete");
    }

    public bool HasRequestHeaders => OnRequestHeaders is not null || OnRequestHeadersAbi01 is not null;
    public bool HasResponseHeaders => OnResponseHeaders is not null || OnResponseHeadersAbi01 is not null;

    public int CallRequestHeaders(int context, int headers, bool endOfStream) =>
        OnRequestHeaders is not null ? OnRequestHeaders(context, headers, endOfStream ? 1 : 0) : OnRequestHeadersAbi01!(context, headers);

    public int CallResponseHeaders(int context, int headers, bool endOfStream) =>
        OnResponseHeaders is not null ? OnResponseHeaders(context, headers, endOfStream ? 1 : 0) : OnResponseHeadersAbi01!(context, headers);

    // main(argc, argv) exists in some reactors; a different signature is simply not called.
    private static T? TryGet<T>(IWasmInstance instance, string name) where T : Delegate
    {
        try { return instance.GetFunction<T>(name); }
        catch (WasmLinkException) { return null; }
    }
}
