namespace ImageHub.Mesh;

/// <summary>
/// One envoy.filters.http.wasm entry of an Envoy bootstrap, reduced to what Consul's
/// builtin/wasm extension can express.
/// </summary>
/// <param name="CodePath">The .wasm file, relative to the repository root (e.g. filters/rate-limit/build/rate-limit.wasm).</param>
/// <param name="Configuration">The plugin configuration exactly as the bootstrap carries it (a google.protobuf.StringValue).</param>
/// <param name="Runtime">Consul's short runtime name: "v8" for envoy.wasm.runtime.v8.</param>
public sealed record WasmFilterSpec(
    string PluginName,
    string RootId,
    string VmId,
    string Runtime,
    string CodePath,
    string Configuration,
    bool FailOpen)
{
    /// <summary>The file name the Envoy image copies the module to (see infra/docker/envoy-sidecar.Dockerfile).</summary>
    public string FileName => Path.GetFileName(CodePath);
}
