namespace ImageHub.Sidecar.Bootstrap;

/// <summary>
/// Reads http_filters: envoy.filters.http.wasm entries and the terminal envoy.filters.http.router.
/// Any other filter is an error: the sidecar must not quietly skip a filter the file asks for.
/// </summary>
internal static class HttpFilterReader
{
    public static IReadOnlyList<HttpFilterConfig> ReadAll(ConfigObject hcm, string baseDirectory)
    {
        var filters = hcm.Objects("http_filters", required: true);
        var result = new List<HttpFilterConfig>();
        foreach (var filter in filters)
        {
            var config = Read(filter, baseDirectory);
            if (config is not null) result.Add(config);
        }
        if (result.Count > 0 && result[^1] is not RouterFilterConfig)
            hcm.Error("http_filters", "the last filter must be envoy.filters.http.router");
        for (var i = 0; i < result.Count - 1; i++)
            if (result[i] is RouterFilterConfig)
                hcm.Error($"http_filters[{i}]", "envoy.filters.http.router must be the last filter");
        var duplicate = result.OfType<WasmFilterConfig>().GroupBy(f => f.PluginName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            hcm.Error("http_filters", $"two wasm filters have the plugin name \"{duplicate.Key}\"; filters are managed by that name");
        return result;
    }

    private static HttpFilterConfig? Read(ConfigObject filter, string baseDirectory)
    {
        var name = filter.String("name", required: true);
        var typed = filter.Object("typed_config");
        filter.Accept("disabled");
        if (filter.Bool("disabled") == true) filter.Error("disabled", "disabled filters are not supported");
        filter.Finish();
        var type = typed?.String("@type", required: true);
        switch (name)
        {
            case "envoy.filters.http.router":
                if (typed is not null)
                {
                    if (type is not null && type != BootstrapReader.RouterFilterType)
                        typed.Error("@type", $"expected {BootstrapReader.RouterFilterType}");
                    typed.Finish();
                }
                return new RouterFilterConfig(name);
            case "envoy.filters.http.wasm":
                if (typed is null)
                {
                    filter.Error("typed_config", "required");
                    return null;
                }
                if (type is not null && type != BootstrapReader.WasmFilterType)
                {
                    typed.Error("@type", $"expected {BootstrapReader.WasmFilterType}");
                    return null;
                }
                return ReadWasm(name, typed, baseDirectory);
            case null:
                return null;
            default:
                filter.Error("name", $"http filter {name} cannot run here (supported: envoy.filters.http.wasm, envoy.filters.http.router)");
                return null;
        }
    }

    private static WasmFilterConfig? ReadWasm(string name, ConfigObject typed, string baseDirectory)
    {
        var plugin = typed.Object("config", required: true);
        typed.Finish();
        if (plugin is null) return null;

        var pluginName = plugin.String("name") ?? "";
        var rootId = plugin.String("root_id") ?? "";
        var configuration = ReadStringValue(plugin, "configuration");
        var failOpen = plugin.Bool("fail_open") ?? false;
        if (plugin.String("failure_policy") is { } policy)
        {
            if (policy == "FAIL_OPEN") failOpen = true;
            else if (policy is not ("FAIL_CLOSED" or "UNSPECIFIED"))
                plugin.Error("failure_policy", $"{policy} is not supported (FAIL_OPEN or FAIL_CLOSED)");
        }

        var vm = plugin.Object("vm_config", required: true);
        plugin.Finish();
        if (vm is null) return null;
        var vmId = vm.String("vm_id") ?? "";
        var runtime = vm.String("runtime", required: true);
        if (runtime == "envoy.wasm.runtime.null")
            vm.Error("runtime", "envoy.wasm.runtime.null runs plugins compiled into Envoy; this sidecar runs .wasm code only");
        if (ReadStringValue(vm, "configuration") is { Length: > 0 })
            vm.Diagnostics.Warning(vm.PathOf("configuration"), "VM configuration is not passed to proxy_on_vm_start, ignored");
        vm.Accept("allow_precompiled");
        var codePath = ReadCode(vm.Object("code", required: true), baseDirectory);
        vm.Finish();

        if (pluginName.Length == 0)
        {
            plugin.Error("name", "required: the sidecar manages filters by their plugin name");
            return null;
        }
        if (codePath is null || runtime is null) return null;
        return new WasmFilterConfig(name, pluginName, rootId, configuration ?? "", vmId, runtime, codePath, failOpen);
    }

    private static string? ReadCode(ConfigObject? code, string baseDirectory)
    {
        if (code is null) return null;
        if (code.Has("remote")) code.Error("remote", "remote code is not supported; use local.filename");
        var local = code.Object("local");
        code.Finish();
        if (local is null)
        {
            if (!code.Has("remote")) code.Error("local", "required");
            return null;
        }
        var filename = local.String("filename");
        if (local.Has("inline_bytes") || local.Has("inline_string"))
            local.Diagnostics.Error(local.Path, "only local.filename is supported (no inline code)");
        else if (filename is null) local.Error("filename", "required");
        local.Accept("inline_bytes");
        local.Accept("inline_string");
        local.Finish();
        // Relative names resolve against the bootstrap's folder, so the file works from any cwd.
        return filename is null ? null : Path.GetFullPath(Path.Combine(baseDirectory, filename));
    }

    /// <summary>A google.protobuf.Any holding a StringValue — the only form our filters take their JSON in.</summary>
    private static string? ReadStringValue(ConfigObject parent, string key)
    {
        var any = parent.Object(key);
        if (any is null) return null;
        var type = any.String("@type", required: true);
        string? value = null;
        if (type == BootstrapReader.StringValueType) value = any.String("value") ?? "";
        else if (type is not null)
            any.Error("@type", $"only {BootstrapReader.StringValueType} is supported, got {type}");
        any.Finish();
        return value;
    }
}
