using ImageHub.ProxyWasm.Abi;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Tests.Unit;

/// <summary>What the loader decides from a module's imports and exports, before anything runs.</summary>
public class PluginLoaderTests
{
    private static readonly FunctionSignature I32x3ToI32 = new([WasmValueType.I32, WasmValueType.I32, WasmValueType.I32], [WasmValueType.I32]);

    private sealed class DescribedModule(IReadOnlyList<ImportDescriptor> imports, IReadOnlyList<ExportDescriptor> exports) : IWasmModule
    {
        public IReadOnlyList<ImportDescriptor> Imports { get; } = imports;
        public IReadOnlyList<ExportDescriptor> Exports { get; } = exports;
        public IWasmInstance Instantiate(WasmImports imports, InstanceLimits? limits = null) =>
            throw new InvalidOperationException("a refused module must not be instantiated");
    }

    private sealed class DescribingEngine(IWasmModule module) : IWasmEngine
    {
        public IWasmModule Compile(ReadOnlyMemory<byte> bytes) => module;
    }

    private sealed class RefusingEngine : IWasmEngine
    {
        public IWasmModule Compile(ReadOnlyMemory<byte> bytes) =>
            throw new WasmFormatException(WasmFormatProblem.Malformed, "header", 0, "magic header not detected");
    }

    private static ImportDescriptor Env(string name) => new("env", name, ExternKind.Function, I32x3ToI32);
    private static ExportDescriptor Export(string name) => new(name, ExternKind.Function, new FunctionSignature([], []));

    private static PluginLoadException Load(IWasmEngine engine)
    {
        using var host = new ProxyWasmHost(engine);
        return Assert.Throws<PluginLoadException>(() => host.LoadPlugin(new PluginOptions { Name = "broken", Module = new byte[] { 0, 97, 115, 109 } }));
    }

    [Fact]
    public void A_module_importing_hostcalls_we_do_not_provide_is_refused_with_every_missing_name()
    {
        var module = new DescribedModule(
            [Env("proxy_log"), Env("proxy_made_up_call"), new ImportDescriptor("mystery", "thing", ExternKind.Function, I32x3ToI32)],
            [Export("proxy_abi_version_0_2_0"), Export("malloc")]);
        var error = Load(new DescribingEngine(module));
        Assert.Contains("env.proxy_made_up_call", error.Message);
        Assert.Contains("mystery.thing", error.Message);
        Assert.DoesNotContain("env.proxy_log ", error.Message);
        Assert.Contains("plugin 'broken'", error.Message);
    }

    [Fact]
    public void Hostcalls_of_another_abi_version_are_missing_for_this_one()
    {
        // proxy_continue_request exists only in ABI 0.1.0, as in Envoy.
        var module = new DescribedModule([Env("proxy_continue_request")], [Export("proxy_abi_version_0_2_1"), Export("malloc")]);
        Assert.Contains("env.proxy_continue_request", Load(new DescribingEngine(module)).Message);
    }

    [Fact]
    public void A_module_without_an_abi_version_export_is_refused()
    {
        var module = new DescribedModule([], [Export("malloc")]);
        Assert.Contains("proxy_abi_version_0_2_0", Load(new DescribingEngine(module)).Message);
    }

    [Fact]
    public void Bytes_that_are_not_webassembly_are_refused_with_the_engines_reason()
    {
        Assert.Contains("magic header not detected", Load(new RefusingEngine()).Message);
    }

    [Fact]
    public void An_empty_module_is_refused()
    {
        using var host = new ProxyWasmHost(new RefusingEngine());
        Assert.Throws<PluginLoadException>(() => host.LoadPlugin(new PluginOptions { Name = "empty", Module = Array.Empty<byte>() }));
    }

    [Theory]
    [InlineData("proxy_abi_version_0_1_0", AbiVersion.V0_1_0)]
    [InlineData("proxy_abi_version_0_2_0", AbiVersion.V0_2_0)]
    [InlineData("proxy_abi_version_0_2_1", AbiVersion.V0_2_1)]
    public void The_abi_version_comes_from_the_marker_export(string marker, AbiVersion expected)
    {
        Assert.Equal(expected, AbiVersions.Detect([Export("malloc"), Export(marker)]));
    }

    [Fact]
    public void Each_abi_version_offers_the_hostcalls_envoy_registers_for_it()
    {
        Assert.Contains("proxy_get_configuration", Hosting.Hostcalls.Names(AbiVersion.V0_1_0));
        Assert.DoesNotContain("proxy_continue_stream", Hosting.Hostcalls.Names(AbiVersion.V0_1_0));
        Assert.Contains("proxy_continue_stream", Hosting.Hostcalls.Names(AbiVersion.V0_2_0));
        Assert.DoesNotContain("proxy_get_log_level", Hosting.Hostcalls.Names(AbiVersion.V0_2_0));
        Assert.Contains("proxy_get_log_level", Hosting.Hostcalls.Names(AbiVersion.V0_2_1));
    }
}
