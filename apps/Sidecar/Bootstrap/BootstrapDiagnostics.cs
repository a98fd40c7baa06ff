namespace ImageHub.Sidecar.Bootstrap;

/// <summary>
/// What reading a bootstrap file found wrong, each message prefixed with the field's path
/// (e.g. <c>static_resources.clusters[0].type</c>). Warnings are fields we skip; errors stop start-up.
/// </summary>
public sealed class BootstrapDiagnostics
{
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Errors => _errors;
    public IReadOnlyList<string> Warnings => _warnings;

    public void Error(string path, string message) => _errors.Add($"{path}: {message}");
    public void Warning(string path, string message) => _warnings.Add($"{path}: {message}");
    public void Unsupported(string path) => Warning(path, "not supported, ignored");
}

/// <summary>The bootstrap cannot be used; <see cref="Exception.Message"/> lists every error with its path.</summary>
public sealed class BootstrapException(string source, IReadOnlyList<string> errors)
    : Exception($"invalid bootstrap {source}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
