using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Filters;

/// <summary>
/// Reloads a filter when its configured .wasm file changes on disk. Events are debounced (a build
/// writes a file in several steps) and a file whose hash is unchanged is skipped; a file that does
/// not load leaves the running version in place and the log says why.
/// </summary>
public sealed class FilterFileWatcher : IDisposable
{
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly FilterRegistry _registry;
    private readonly ILogger _logger;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ConcurrentDictionary<string, Timer> _pending = new();
    private readonly Dictionary<string, List<FilterSlot>> _slotsByPath;

    public FilterFileWatcher(FilterRegistry registry, ILogger<FilterFileWatcher> logger)
    {
        _registry = registry;
        _logger = logger;
        _slotsByPath = registry.Slots.GroupBy(s => s.Config.CodePath).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var directory in _slotsByPath.Keys.Select(Path.GetDirectoryName).Distinct())
        {
            if (directory is null || !Directory.Exists(directory)) continue;
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, e) => Schedule(e.FullPath);
            watcher.Created += (_, e) => Schedule(e.FullPath);
            watcher.Renamed += (_, e) => Schedule(e.FullPath);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    private void Schedule(string path)
    {
        if (!_slotsByPath.ContainsKey(path)) return;
        var timer = _pending.GetOrAdd(path, p => new Timer(_ => Reload(p)));
        timer.Change(Debounce, Timeout.InfiniteTimeSpan);
    }

    private void Reload(string path)
    {
        byte[] code;
        try { code = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("{Path} changed but cannot be read yet ({Error}); keeping the running filter", path, e.Message);
            return;
        }
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(code));
        foreach (var slot in _slotsByPath[path])
        {
            if (slot.Current?.Sha256 == sha256) continue;
            try
            {
                _registry.Load(slot.Name, code, path);
                _logger.LogInformation("filter {Name}: hot-reloaded from {Path}", slot.Name, path);
            }
            catch (FilterLoadException e)
            {
                _logger.LogError("filter {Name}: {Path} changed but does not load, keeping the running version: {Error}", slot.Name, path, e.Message);
            }
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers) watcher.Dispose();
        foreach (var timer in _pending.Values) timer.Dispose();
    }
}
