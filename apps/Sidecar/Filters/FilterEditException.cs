namespace ImageHub.Sidecar.Filters;

/// <summary>Why a chain edit was refused before anything changed; the admin API answers it with a 4xx.</summary>
public sealed class FilterEditException(FilterEditError error, string message) : Exception(message)
{
    public FilterEditError Error { get; } = error;
}

public enum FilterEditError
{
    /// <summary>The request is wrong in itself: an unknown listener or position target, a bad name.</summary>
    BadRequest,
    /// <summary>The request clashes with what runs: a name already in the chain, a bootstrap filter's configuration.</summary>
    Conflict,
    /// <summary>No filter has that name.</summary>
    NotFound,
}
