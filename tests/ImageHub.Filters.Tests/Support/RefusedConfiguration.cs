using ImageHub.ProxyWasm;
using ImageHub.ProxyWasm.Abi;
using ImageHub.Wasm;

namespace ImageHub.Filters.Tests.Support;

/// <summary>
/// Loads a filter with a configuration it should refuse, on a host of our own so the filter's
/// log lines survive the failed load (the harness disposes itself when loading fails).
/// </summary>
internal static class RefusedConfiguration
{
    public sealed record Outcome(PluginLoadException Error, IReadOnlyList<GuestLogEntry> Logs)
    {
        public IEnumerable<string> Errors => Logs.Where(l => l.Level >= ProxyLogLevel.Error).Select(l => l.Message);
    }

    public static Outcome Load(string wasmPath, string configuration)
    {
        var logs = new List<GuestLogEntry>();
        using var host = new ProxyWasmHost(new WasmEngine(), new ProxyWasmHostOptions { GuestLogObserver = logs.Add, Scheduler = work => work() });
        var error = Assert.Throws<PluginLoadException>(() => host.LoadPlugin(new PluginOptions
        {
            Name = Path.GetFileNameWithoutExtension(wasmPath),
            Module = File.ReadAllBytes(wasmPath),
            Configuration = configuration,
            Replicas = 1,
            // The first call into a fresh module compiles it; on a busy 2-core machine that can pass
            // the 1 s default, and a deadline trap would hide the refusal this test is about.
            DeadlinePerCallback = TimeSpan.FromSeconds(30),
        }));
        return new Outcome(error, logs);
    }
}
