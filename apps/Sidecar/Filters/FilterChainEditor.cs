using System.Text.RegularExpressions;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Proxy;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Filters;

/// <summary>
/// Adds wasm filters to the chains of running listeners and removes them again, without a
/// restart. Everything is checked before anything changes (name, listeners, position, then the
/// module is compiled and configured); only then is each listener's chain replaced whole, so a
/// request runs either the old chain or the new one, and requests in flight finish on the old.
/// </summary>
public sealed partial class FilterChainEditor(FilterRegistry registry, IReadOnlyList<ListenerRuntime> listeners, ILogger<FilterChainEditor> logger)
{
    /// <summary>How many times a chain was edited (added or removed filters), and when last; /config_dump shows them.</summary>
    public int Revision { get; private set; }
    public DateTimeOffset? LastEdited { get; private set; }

    /// <summary>
    /// The chain of each listener that holds <paramref name="slot"/> and its place there (0 = first).
    /// </summary>
    public IEnumerable<(string Listener, int Index)> PlacesOf(FilterSlot slot) =>
        listeners.Select(l => (l.Name, Index: IndexOf(l.Filters, slot))).Where(p => p.Index >= 0);

    /// <summary>Adds a filter the registry does not know; throws <see cref="FilterEditException"/> or <see cref="FilterLoadException"/> and changes nothing otherwise.</summary>
    public FilterSlot Add(WasmFilterConfig config, FilterPosition position, IReadOnlyList<string> listenerNames, ReadOnlyMemory<byte> code, string source)
    {
        if (!ValidName().IsMatch(config.PluginName))
            throw new FilterEditException(FilterEditError.BadRequest,
                $"\"{config.PluginName}\" is not a filter name: use letters, digits, '.', '_' and '-', starting with a letter or digit (at most 100 characters)");
        lock (registry.EditLock)
        {
            if (registry.Find(config.PluginName) is { } existing)
                throw new FilterEditException(FilterEditError.Conflict, existing.AddedAtRuntime
                    ? $"filter {existing.Name} is already in the chain; DELETE /filters/{existing.Name} first to put it elsewhere, or leave out position and listener to replace its code"
                    : $"filter {existing.Name} is declared in the bootstrap and already in its chain; leave out position and listener to replace its code, or add the module under another name");
            var targets = Listeners(listenerNames);
            var slot = new FilterSlot(config, addedAtRuntime: true);
            var chains = new List<(ListenerRuntime Listener, List<FilterSlot> Chain)>();
            foreach (var listener in targets)
            {
                var chain = position.Insert(listener.Filters, slot) ?? throw new FilterEditException(FilterEditError.BadRequest,
                    $"position {position}: listener {listener.Name} has no wasm filter named \"{position.Target}\" (its chain: {Describe(listener.Filters)})");
                chains.Add((listener, chain));
            }

            slot.Swap(registry.Compile(config, code, source));
            registry.Register(slot);
            foreach (var (listener, chain) in chains)
            {
                listener.ReplaceFilters(chain);
                logger.LogInformation("listener {Listener}: added filter {Name} ({Position}); chain now {Chain}",
                    listener.Name, slot.Name, position, Describe(chain));
            }
            Edited();
            return slot;
        }
    }

    /// <summary>Takes an added filter out of every chain and forgets it; requests already running it finish on it.</summary>
    public void Remove(FilterSlot slot)
    {
        if (!slot.AddedAtRuntime) throw new ArgumentException("bootstrap filters are unloaded, not removed", nameof(slot));
        lock (registry.EditLock)
        {
            foreach (var listener in listeners)
            {
                var chain = listener.Filters;
                if (IndexOf(chain, slot) < 0) continue;
                var without = chain.Where(s => s != slot).ToList();
                listener.ReplaceFilters(without);
                logger.LogInformation("listener {Listener}: removed filter {Name}; chain now {Chain}", listener.Name, slot.Name, Describe(without));
            }
            registry.Unregister(slot);
            Edited();
        }
    }

    private void Edited()
    {
        Revision++;
        LastEdited = DateTimeOffset.UtcNow;
    }

    private List<ListenerRuntime> Listeners(IReadOnlyList<string> names)
    {
        if (listeners.Count == 0) throw new FilterEditException(FilterEditError.BadRequest, "the bootstrap has no listener to add a filter to");
        if (names.Count == 0) return [.. listeners];
        var unknown = names.Where(n => listeners.All(l => l.Name != n)).ToList();
        if (unknown.Count > 0)
            throw new FilterEditException(FilterEditError.BadRequest,
                $"no listener named {string.Join(", ", unknown.Select(n => $"\"{n}\""))} (listeners: {string.Join(", ", listeners.Select(l => l.Name))})");
        return [.. listeners.Where(l => names.Contains(l.Name))];
    }

    private static int IndexOf(IReadOnlyList<FilterSlot> chain, FilterSlot slot)
    {
        for (var i = 0; i < chain.Count; i++)
            if (chain[i] == slot) return i;
        return -1;
    }

    private static string Describe(IReadOnlyList<FilterSlot> chain) =>
        chain.Count == 0 ? "router only" : string.Join(" -> ", chain.Select(s => s.Name)) + " -> router";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex ValidName();
}
