namespace ImageHub.Sidecar.Filters;

/// <summary>
/// Where an added filter goes in a listener's chain: <c>last</c> (before the router, the
/// default), <c>first</c>, <c>before=NAME</c> or <c>after=NAME</c> of another wasm filter.
/// </summary>
public sealed record FilterPosition(FilterPositionKind Kind, string? Target = null)
{
    public static readonly FilterPosition Last = new(FilterPositionKind.Last);

    /// <summary>Reads the admin API's <c>position</c> field; null with <paramref name="error"/> set when it is not one of the forms.</summary>
    public static FilterPosition? Parse(string? text, out string? error)
    {
        error = null;
        var value = text?.Trim() ?? "";
        if (value.Length == 0 || value == "last") return Last;
        if (value == "first") return new(FilterPositionKind.First);
        var equals = value.IndexOf('=');
        if (equals > 0)
        {
            var kind = value[..equals].Trim();
            var target = value[(equals + 1)..].Trim();
            if (target.Length > 0 && kind is "before" or "after")
                return new(kind == "before" ? FilterPositionKind.Before : FilterPositionKind.After, target);
        }
        error = $"position \"{text}\" is not one of: last (before the router, the default), first, before=NAME, after=NAME";
        return null;
    }

    /// <summary>The chain with <paramref name="slot"/> inserted; null when the target is not in it.</summary>
    public List<FilterSlot>? Insert(IReadOnlyList<FilterSlot> chain, FilterSlot slot)
    {
        var result = chain.ToList();
        switch (Kind)
        {
            case FilterPositionKind.First: result.Insert(0, slot); return result;
            case FilterPositionKind.Last: result.Add(slot); return result;
        }
        var index = result.FindIndex(s => s.Name == Target);
        if (index < 0) return null;
        result.Insert(Kind == FilterPositionKind.Before ? index : index + 1, slot);
        return result;
    }

    public override string ToString() => Kind switch
    {
        FilterPositionKind.First => "first",
        FilterPositionKind.Last => "last",
        FilterPositionKind.Before => $"before={Target}",
        _ => $"after={Target}",
    };
}

public enum FilterPositionKind { Last, First, Before, After }
