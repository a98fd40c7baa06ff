namespace ImageHub.Mesh.Tests.Support;

/// <summary>The Wasm filters of the local sidecar's bootstrap, the source of the mesh's filter list.</summary>
public static class SidecarPlugins
{
    public static IReadOnlyList<WasmFilterSpec> All =>
        EnvoyBootstrapFilters.Read(Repo.Layout.ImageHubSidecarBootstrap, Repo.Layout);

    public static WasmFilterSpec Named(string plugin) => All.Single(f => f.PluginName == plugin);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var filter in All) data.Add(filter.PluginName);
        return data;
    }
}
