using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Abi;

/// <summary>The Proxy-Wasm ABI versions this host speaks.</summary>
public enum AbiVersion
{
    V0_1_0,
    V0_2_0,
    V0_2_1,
}

public static class AbiVersions
{
    private static readonly (string Export, AbiVersion Version)[] Markers =
    [
        ("proxy_abi_version_0_2_1", AbiVersion.V0_2_1),
        ("proxy_abi_version_0_2_0", AbiVersion.V0_2_0),
        ("proxy_abi_version_0_1_0", AbiVersion.V0_1_0),
    ];

    /// <summary>
    /// The version a module declares with its <c>proxy_abi_version_*</c> export, as Envoy
    /// reads it; null when it declares none we know.
    /// </summary>
    public static AbiVersion? Detect(IEnumerable<ExportDescriptor> exports)
    {
        var names = exports.Where(e => e.Kind == ExternKind.Function).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (export, version) in Markers)
            if (names.Contains(export)) return version;
        return null;
    }

    public static string Display(this AbiVersion version) => version switch
    {
        AbiVersion.V0_1_0 => "0.1.0",
        AbiVersion.V0_2_0 => "0.2.0",
        _ => "0.2.1",
    };
}
