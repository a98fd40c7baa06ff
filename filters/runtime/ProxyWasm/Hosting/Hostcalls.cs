using System.Text;
using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Properties;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// The <c>env.proxy_*</c> functions one replica offers its instance. Each acts on the current
/// (or effective) context and answers a <see cref="WasmResult"/>; bad guest pointers answer
/// InvalidMemoryAccess, what the host cannot do answers Unimplemented or NotFound — never a crash.
/// </summary>
internal sealed partial class Hostcalls(PluginReplica replica)
{
    private static readonly string[] Common =
    [
        "proxy_log", "proxy_get_status", "proxy_set_property", "proxy_get_property", "proxy_send_local_response",
        "proxy_get_shared_data", "proxy_set_shared_data", "proxy_register_shared_queue", "proxy_resolve_shared_queue",
        "proxy_dequeue_shared_queue", "proxy_enqueue_shared_queue", "proxy_get_header_map_value",
        "proxy_add_header_map_value", "proxy_replace_header_map_value", "proxy_remove_header_map_value",
        "proxy_get_header_map_pairs", "proxy_set_header_map_pairs", "proxy_get_header_map_size",
        "proxy_get_buffer_status", "proxy_get_buffer_bytes", "proxy_set_buffer_bytes", "proxy_http_call",
        "proxy_grpc_call", "proxy_grpc_stream", "proxy_grpc_close", "proxy_grpc_cancel", "proxy_grpc_send",
        "proxy_set_tick_period_milliseconds", "proxy_get_current_time_nanoseconds", "proxy_define_metric",
        "proxy_increment_metric", "proxy_record_metric", "proxy_get_metric", "proxy_set_effective_context",
        "proxy_done", "proxy_call_foreign_function",
    ];

    private static readonly Dictionary<AbiVersion, HashSet<string>> NamesByVersion = new()
    {
        [AbiVersion.V0_1_0] = [.. Common, "proxy_get_configuration", "proxy_continue_request", "proxy_continue_response", "proxy_clear_route_cache"],
        [AbiVersion.V0_2_0] = [.. Common, "proxy_continue_stream", "proxy_close_stream"],
        [AbiVersion.V0_2_1] = [.. Common, "proxy_continue_stream", "proxy_close_stream", "proxy_get_log_level"],
    };

    /// <summary>The hostcalls offered to a module of this ABI version (as proxy-wasm-cpp-host registers them).</summary>
    public static IReadOnlySet<string> Names(AbiVersion abi) => NamesByVersion[abi];

    private ProxyContext Context => replica.CurrentContext;

    public void Register(WasmImports imports, AbiVersion abi)
    {
        var functions = new Dictionary<string, Delegate>
        {
            ["proxy_log"] = new Func<WasmCaller, int, int, int, int>(Log),
            ["proxy_get_log_level"] = new Func<WasmCaller, int, int>(GetLogLevel),
            ["proxy_get_status"] = new Func<WasmCaller, int, int, int, int>(GetStatus),
            ["proxy_set_property"] = new Func<WasmCaller, int, int, int, int, int>(SetProperty),
            ["proxy_get_property"] = new Func<WasmCaller, int, int, int, int, int>(GetProperty),
            ["proxy_get_configuration"] = new Func<WasmCaller, int, int, int>(GetConfiguration),
            ["proxy_continue_request"] = new Func<int>(() => (int)Context.ContinueStream(StreamType.Request)),
            ["proxy_continue_response"] = new Func<int>(() => (int)Context.ContinueStream(StreamType.Response)),
            ["proxy_continue_stream"] = new Func<int, int>(type => (int)Context.ContinueStream((StreamType)(uint)type)),
            ["proxy_close_stream"] = new Func<int, int>(type => (int)Context.CloseStream((StreamType)(uint)type)),
            ["proxy_clear_route_cache"] = new Func<int>(() => (int)WasmResult.Ok),
            ["proxy_send_local_response"] = new Func<WasmCaller, int, int, int, int, int, int, int, int, int>(SendLocalResponse),
            ["proxy_get_shared_data"] = new Func<WasmCaller, int, int, int, int, int, int>(GetSharedData),
            ["proxy_set_shared_data"] = new Func<WasmCaller, int, int, int, int, int, int>(SetSharedData),
            ["proxy_register_shared_queue"] = new Func<WasmCaller, int, int, int, int>(RegisterSharedQueue),
            ["proxy_resolve_shared_queue"] = new Func<WasmCaller, int, int, int, int, int, int>(ResolveSharedQueue),
            ["proxy_dequeue_shared_queue"] = new Func<WasmCaller, int, int, int, int>(DequeueSharedQueue),
            ["proxy_enqueue_shared_queue"] = new Func<WasmCaller, int, int, int, int>(EnqueueSharedQueue),
            ["proxy_get_header_map_value"] = new Func<WasmCaller, int, int, int, int, int, int>(GetHeaderMapValue),
            ["proxy_add_header_map_value"] = new Func<WasmCaller, int, int, int, int, int, int>(AddHeaderMapValue),
            ["proxy_replace_header_map_value"] = new Func<WasmCaller, int, int, int, int, int, int>(ReplaceHeaderMapValue),
            ["proxy_remove_header_map_value"] = new Func<WasmCaller, int, int, int, int>(RemoveHeaderMapValue),
            ["proxy_get_header_map_pairs"] = new Func<WasmCaller, int, int, int, int>(GetHeaderMapPairs),
            ["proxy_set_header_map_pairs"] = new Func<WasmCaller, int, int, int, int>(SetHeaderMapPairs),
            ["proxy_get_header_map_size"] = new Func<WasmCaller, int, int, int>(GetHeaderMapSize),
            ["proxy_get_buffer_status"] = new Func<WasmCaller, int, int, int, int>(GetBufferStatus),
            ["proxy_get_buffer_bytes"] = new Func<WasmCaller, int, int, int, int, int, int>(GetBufferBytes),
            ["proxy_set_buffer_bytes"] = new Func<WasmCaller, int, int, int, int, int, int>(SetBufferBytes),
            ["proxy_http_call"] = new Func<WasmCaller, int, int, int, int, int, int, int, int, int, int, int>(HttpCall),
            ["proxy_grpc_call"] = new Func<int, int, int, int, int, int, int, int, int, int, int, int, int>(
                (_, _, _, _, _, _, _, _, _, _, _, _) => (int)WasmResult.Unimplemented),
            ["proxy_grpc_stream"] = new Func<int, int, int, int, int, int, int, int, int, int>(
                (_, _, _, _, _, _, _, _, _) => (int)WasmResult.Unimplemented),
            ["proxy_grpc_send"] = new Func<int, int, int, int, int>((_, _, _, _) => (int)WasmResult.NotFound),
            ["proxy_grpc_cancel"] = new Func<int, int>(_ => (int)WasmResult.NotFound),
            ["proxy_grpc_close"] = new Func<int, int>(_ => (int)WasmResult.NotFound),
            ["proxy_set_tick_period_milliseconds"] = new Func<int, int>(SetTickPeriod),
            ["proxy_get_current_time_nanoseconds"] = new Func<WasmCaller, int, int>(GetCurrentTime),
            ["proxy_define_metric"] = new Func<WasmCaller, int, int, int, int, int>(DefineMetric),
            ["proxy_increment_metric"] = new Func<int, long, int>((id, offset) => (int)replica.Metrics.Increment((uint)id, offset)),
            ["proxy_record_metric"] = new Func<int, long, int>((id, value) => (int)replica.Metrics.Record((uint)id, (ulong)value)),
            ["proxy_get_metric"] = new Func<WasmCaller, int, int, int>(GetMetric),
            ["proxy_set_effective_context"] = new Func<int, int>(id => (int)replica.SetEffectiveContext(id)),
            // Ok only while this VM's root context is "pending done" (its on_done answered false), as Envoy.
            ["proxy_done"] = new Func<int>(() => (int)replica.Done()),
            // No foreign functions are registered in this host.
            ["proxy_call_foreign_function"] = new Func<int, int, int, int, int, int, int>((_, _, _, _, _, _) => (int)WasmResult.NotFound),
        };
        foreach (var name in Names(abi)) imports.Function("env", name, functions[name]);
    }

    private IWasmMemory Memory(WasmCaller caller) => replica.Memory(caller);

    private static int Result(WasmResult result) => (int)result;

    // ---- logging, status, time -------------------------------------------------------

    private int Log(WasmCaller caller, int level, int messagePointer, int messageSize)
    {
        if ((uint)level > (uint)ProxyLogLevel.Critical) return Result(WasmResult.BadArgument);
        // Below the host's level the line is dropped before it is even decoded, as Envoy's log macros do.
        if (level < (int)replica.Host.LogLevel) return Result(WasmResult.Ok);
        if (!GuestMemory.TryReadUtf8(Memory(caller), messagePointer, messageSize, out var message)) return Result(WasmResult.InvalidMemoryAccess);
        replica.Log((ProxyLogLevel)level, message);
        return Result(WasmResult.Ok);
    }

    private int GetLogLevel(WasmCaller caller, int levelPointer) =>
        GuestMemory.TryWriteUInt32(Memory(caller), levelPointer, (uint)replica.Host.LogLevel) ? Result(WasmResult.Ok) : Result(WasmResult.InvalidMemoryAccess);

    private int GetStatus(WasmCaller caller, int codePointer, int messagePointerPointer, int messageSizePointer)
    {
        var (code, message) = Context.Root.Status;
        if (!GuestMemory.TryWriteUInt32(Memory(caller), codePointer, code)) return Result(WasmResult.InvalidMemoryAccess);
        return Result(replica.CopyOut(caller, Encoding.UTF8.GetBytes(message), messagePointerPointer, messageSizePointer));
    }

    private int GetCurrentTime(WasmCaller caller, int resultPointer)
    {
        var nanoseconds = (ulong)((replica.Host.Clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100);
        return GuestMemory.TryWriteUInt64(Memory(caller), resultPointer, nanoseconds) ? Result(WasmResult.Ok) : Result(WasmResult.InvalidMemoryAccess);
    }

    private int SetTickPeriod(int milliseconds)
    {
        replica.SetTickPeriod((uint)milliseconds);
        return Result(WasmResult.Ok);
    }

    private int GetConfiguration(WasmCaller caller, int pointerPointer, int sizePointer)
    {
        var configuration = replica.ConfigurationVisible ? replica.Plugin.ConfigurationBytes : replica.Plugin.VmConfigurationBytes;
        return Result(replica.CopyOut(caller, configuration, pointerPointer, sizePointer));
    }

    // ---- properties ------------------------------------------------------------------

    private int GetProperty(WasmCaller caller, int pathPointer, int pathSize, int valuePointerPointer, int valueSizePointer)
    {
        if (!GuestMemory.TryRead(Memory(caller), pathPointer, pathSize, out var path)) return Result(WasmResult.InvalidMemoryAccess);
        var result = PropertyResolver.Resolve(Context, PropertyEncoding.SplitPath(path), out var value);
        return result != WasmResult.Ok ? Result(result) : Result(replica.CopyOut(caller, value, valuePointerPointer, valueSizePointer));
    }

    private int SetProperty(WasmCaller caller, int pathPointer, int pathSize, int valuePointer, int valueSize)
    {
        var memory = Memory(caller);
        if (!GuestMemory.TryRead(memory, pathPointer, pathSize, out var path) ||
            !GuestMemory.TryRead(memory, valuePointer, valueSize, out var value))
            return Result(WasmResult.InvalidMemoryAccess);
        return Result(Context.SetProperty(string.Join('\0', PropertyEncoding.SplitPath(path)), value.ToArray()));
    }

    // ---- local replies ---------------------------------------------------------------

    private int SendLocalResponse(WasmCaller caller, int statusCode, int detailsPointer, int detailsSize, int bodyPointer, int bodySize,
        int headersPointer, int headersSize, int grpcStatus)
    {
        var memory = Memory(caller);
        if (!GuestMemory.TryReadUtf8(memory, detailsPointer, detailsSize, out var details) ||
            !GuestMemory.TryRead(memory, bodyPointer, bodySize, out var body) ||
            !GuestMemory.TryRead(memory, headersPointer, headersSize, out var headerBytes))
            return Result(WasmResult.InvalidMemoryAccess);
        // Malformed pairs become no extra headers, as proxy-wasm-cpp-host does.
        var headers = new HeaderMap(PairsCodec.TryRead(headerBytes) ?? []);
        Context.SendLocalReply(new LocalReply(statusCode, details, body.ToArray(), headers, grpcStatus < 0 ? null : grpcStatus));
        return Result(WasmResult.Ok);
    }
}
