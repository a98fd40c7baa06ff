using System.Buffers.Binary;
using System.Text;
using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Properties;

namespace ImageHub.ProxyWasm.Tests.Unit;

public class PropertyTests
{
    private sealed class Source : IPropertySource
    {
        public PluginOptions Plugin { get; init; } = new() { Name = "tenancy", Module = new byte[] { 0 }, RootId = "root", VmId = "vm" };
        public StreamInfo? Stream { get; init; } = new()
        {
            SourceAddress = "10.0.0.1", SourcePort = 5555, DestinationAddress = "127.0.0.1", DestinationPort = 8080,
            ConnectionId = 42, StartTime = DateTimeOffset.UnixEpoch.AddSeconds(1),
        };
        public HeaderMap? RequestHeaders { get; init; } = HeaderMap.Of((":method", "GET"), (":path", "/a/b?x=1"), (":authority", "acme.localhost"), ("x", "1"), ("x", "2"));
        public HeaderMap? ResponseHeaders { get; init; } = HeaderMap.Of((":status", "429"));
        public HeaderMap? ResponseTrailers => null;
        public long RequestBodyBytes => 3;
        public long ResponseBodyBytes => 0;
        public string? ResponseCodeDetails => "via_upstream";
        public DateTimeOffset Now => DateTimeOffset.UnixEpoch.AddSeconds(3);
        public IReadOnlyDictionary<string, byte[]>? FilterState { get; init; }
    }

    private static byte[] Resolve(string dottedPath, IPropertySource? source = null)
    {
        var result = PropertyResolver.Resolve(source ?? new Source(), dottedPath.Split('.'), out var value);
        Assert.Equal(WasmResult.Ok, result);
        return value;
    }

    private static string Text(string path) => Encoding.UTF8.GetString(Resolve(path));
    private static long Int(string path) => BinaryPrimitives.ReadInt64LittleEndian(Resolve(path));

    [Fact]
    public void Strings_are_raw_utf8()
    {
        Assert.Equal("tenancy", Text("plugin_name"));
        Assert.Equal("root", Text("plugin_root_id"));
        Assert.Equal("vm", Text("plugin_vm_id"));
        Assert.Equal("/a/b?x=1", Text("request.path"));
        Assert.Equal("/a/b", Text("request.url_path"));
        Assert.Equal("x=1", Text("request.query"));
        Assert.Equal("acme.localhost", Text("request.host"));
        Assert.Equal("GET", Text("request.method"));
        Assert.Equal("10.0.0.1:5555", Text("source.address"));
        Assert.Equal("127.0.0.1:8080", Text("destination.address"));
        Assert.Equal("via_upstream", Text("response.code_details"));
    }

    [Fact]
    public void Integers_are_eight_bytes_little_endian()
    {
        Assert.Equal(8, Resolve("response.code").Length);
        Assert.Equal(429, Int("response.code"));
        Assert.Equal(5555, Int("source.port"));
        Assert.Equal(42, Int("connection.id"));
        Assert.Equal(3, Int("request.size"));
    }

    [Fact]
    public void Timestamps_and_durations_are_int64_nanoseconds()
    {
        Assert.Equal(1_000_000_000L, Int("request.time"));
        Assert.Equal(2_000_000_000L, Int("request.duration"));
    }

    [Fact]
    public void Booleans_are_one_byte()
    {
        Assert.Equal([0], Resolve("connection.mtls"));
    }

    [Fact]
    public void A_header_map_property_is_serialized_pairs_and_a_repeated_header_is_joined()
    {
        var pairs = PairsCodec.TryRead(Resolve("request.headers"));
        Assert.Equal(5, pairs!.Count);
        Assert.Equal("1,2", Text("request.headers.x"));
    }

    [Fact]
    public void Unknown_paths_and_missing_values_are_not_found()
    {
        var source = new Source { Stream = null, ResponseHeaders = null };
        Assert.Equal(WasmResult.NotFound, PropertyResolver.Resolve(source, ["nope"], out _));
        Assert.Equal(WasmResult.NotFound, PropertyResolver.Resolve(source, ["source", "address"], out _));
        Assert.Equal(WasmResult.NotFound, PropertyResolver.Resolve(source, ["response", "code"], out _));
        Assert.Equal(WasmResult.NotFound, PropertyResolver.Resolve(source, [""], out _));
    }

    [Fact]
    public void Values_a_filter_stored_are_read_back_raw()
    {
        var source = new Source { FilterState = new Dictionary<string, byte[]> { ["tenant"] = "acme"u8.ToArray() } };
        Assert.Equal("acme"u8.ToArray(), Resolve("tenant", source));
    }

    [Fact]
    public void Paths_are_split_at_nul_bytes()
    {
        Assert.Equal(["request", "path"], PropertyEncoding.SplitPath("request\0path\0"u8));
    }
}
