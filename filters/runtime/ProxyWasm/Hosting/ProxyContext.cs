using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Properties;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// A context the guest knows by id: the replica's root context or one HTTP stream.
/// Hostcalls act on the current (or effective) context through this surface.
/// </summary>
internal abstract class ProxyContext(PluginReplica replica, int id) : IPropertySource
{
    public PluginReplica Replica { get; } = replica;
    public int Id { get; } = id;
    public abstract bool IsRoot { get; }

    /// <summary>A stream that ended and left its replica (a root never does): hostcalls no longer reach it.</summary>
    public bool Detached { get; set; }
    public RootContext Root => Replica.Root;

    /// <summary>The map for a hostcall, or null when this context has none right now.</summary>
    public virtual HeaderMap? GetHeaderMap(HeaderMapType type, bool forWrite) => type switch
    {
        HeaderMapType.HttpCallResponseHeaders when !forWrite => Root.CurrentCallout?.Headers,
        HeaderMapType.HttpCallResponseTrailers when !forWrite => Root.CurrentCallout?.Trailers,
        _ => null,
    };

    /// <summary>The bytes of a buffer, or null when the buffer does not exist now (NotFound).</summary>
    public virtual BodyBuffer? GetMutableBuffer(BufferType type) => null;

    public virtual ReadOnlyMemory<byte>? GetBuffer(BufferType type) => type switch
    {
        // Typed arms: a null byte[] would otherwise convert to an empty (not a missing) buffer.
        BufferType.VmConfiguration => new ReadOnlyMemory<byte>(Replica.Plugin.VmConfigurationBytes),
        BufferType.PluginConfiguration when Replica.ConfigurationVisible => new ReadOnlyMemory<byte>(Replica.Plugin.ConfigurationBytes),
        BufferType.HttpCallResponseBody when Root.CurrentCallout is { } callout => new ReadOnlyMemory<byte>(callout.Body),
        _ => (ReadOnlyMemory<byte>?)null,
    };

    public virtual WasmResult ContinueStream(StreamType type) => type <= StreamType.Response ? WasmResult.Ok : WasmResult.BadArgument;

    public virtual WasmResult CloseStream(StreamType type) => WasmResult.Ok;

    public virtual void SendLocalReply(LocalReply reply) { }

    public virtual WasmResult SetProperty(string path, byte[] value) => WasmResult.NotFound;

    // IPropertySource: a root context knows only the plugin.
    public PluginOptions Plugin => Replica.Plugin.Options;
    public virtual StreamInfo? Stream => null;
    public virtual HeaderMap? RequestHeaders => null;
    public virtual HeaderMap? ResponseHeaders => null;
    public virtual HeaderMap? ResponseTrailers => null;
    public virtual long RequestBodyBytes => 0;
    public virtual long ResponseBodyBytes => 0;
    public virtual string? ResponseCodeDetails => null;
    public DateTimeOffset Now => Replica.Host.Clock.GetUtcNow();
    public virtual IReadOnlyDictionary<string, byte[]>? FilterState => null;
}

/// <summary>The root context of one replica: configuration, ticks, callouts, queues.</summary>
internal sealed class RootContext(PluginReplica replica, int id) : ProxyContext(replica, id)
{
    public override bool IsRoot => true;

    /// <summary>The callout response being delivered right now (readable via the callout map/buffer types).</summary>
    public HttpCalloutResponse? CurrentCallout { get; set; }

    /// <summary>What <c>proxy_get_status</c> answers.</summary>
    public (uint Code, string Message) Status { get; set; } = (0, "");
}
