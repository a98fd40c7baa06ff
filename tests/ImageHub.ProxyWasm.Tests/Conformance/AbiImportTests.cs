using ImageHub.ProxyWasm.Abi;
using ImageHub.ProxyWasm.Hosting;
using ImageHub.ProxyWasm.Testing;

namespace ImageHub.ProxyWasm.Tests.Conformance;

/// <summary>
/// The filters written without an SDK share tests/conformance-filters/shared/raw-abi.ts; each must
/// still import exactly the hostcalls it uses, and only hostcalls of its own ABI version.
/// </summary>
public class AbiImportTests
{
    [Theory]
    [InlineData("abi-v010", "0.1.0", "proxy_add_header_map_value proxy_continue_request proxy_get_configuration proxy_get_header_map_value proxy_log")]
    [InlineData("abi-v021", "0.2.1", "proxy_add_header_map_value proxy_get_header_map_value proxy_get_log_level proxy_log")]
    [InlineData("bench-raw", "0.2.1", "proxy_add_header_map_value proxy_get_buffer_bytes")]
    public void A_raw_abi_module_imports_exactly_the_hostcalls_it_uses(string package, string version, string hostcalls)
    {
        var module = FilterHarness.EngineFactory().Compile(File.ReadAllBytes(ConformanceFilters.Path(package)));
        var imports = module.Imports.Select(import => $"{import.Module}.{import.Name}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(hostcalls.Split(' ').Select(name => "env." + name), imports);

        var abi = AbiVersions.Detect(module.Exports)!.Value;
        Assert.Equal(version, abi.Display());
        Assert.All(imports, import => Assert.Contains(import["env.".Length..], Hostcalls.Names(abi)));
    }
}
