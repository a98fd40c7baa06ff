using ImageHub.ProxyWasm.Abi;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>Compiles a module, picks its ABI version and checks its imports before any replica starts.</summary>
internal static class PluginLoader
{
    public static LoadedPlugin Load(ProxyWasmHost host, PluginOptions options)
    {
        if (options.Module.IsEmpty) throw new PluginLoadException(options.Name, "the module is empty");
        IWasmModule module;
        try
        {
            module = host.Engine.Compile(options.Module);
        }
        catch (WasmFormatException format)
        {
            throw new PluginLoadException(options.Name, $"not a valid WebAssembly module: {format.Message}", format);
        }

        var abi = AbiVersions.Detect(module.Exports)
            ?? throw new PluginLoadException(options.Name,
                "the module declares no known Proxy-Wasm ABI version (it must export proxy_abi_version_0_1_0, proxy_abi_version_0_2_0 or proxy_abi_version_0_2_1)");

        var missing = module.Imports
            .Where(import => import.Kind != ExternKind.Function || !IsProvided(import, abi))
            .Select(import => import.ToString())
            .ToList();
        if (missing.Count > 0)
            throw new PluginLoadException(options.Name,
                $"the module imports {missing.Count} function(s) this host does not provide for ABI {abi.Display()}: {string.Join(", ", missing)}");

        var plugin = new LoadedPlugin(host, options, module, abi);
        try
        {
            plugin.StartAll();
        }
        catch (WasmLinkException link)
        {
            plugin.Dispose();
            var details = link.Unresolved.Count > 0 ? ": " + string.Join(", ", link.Unresolved) : "";
            throw new PluginLoadException(options.Name, $"linking failed: {link.Message}{details}", link);
        }
        catch (PluginLoadException)
        {
            plugin.Dispose();
            throw;
        }
        return plugin;
    }

    private static bool IsProvided(ImportDescriptor import, AbiVersion abi) => import.Module switch
    {
        "env" => Hostcalls.Names(abi).Contains(import.Name),
        _ => ProxyWasi.Provides(import),
    };
}
