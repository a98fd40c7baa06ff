using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Hosting;

/// <summary>Parses Envoy-style arguments: <c>-c bootstrap.yaml --log-level info --concurrency 2</c>.</summary>
public static class SidecarCommandLine
{
    public const string Usage = """
        usage: ImageHub.Sidecar -c <bootstrap.yaml|.json> [options]

          -c, --config-path <file>     Envoy v3 static bootstrap (YAML, or JSON by .json extension)
          -l, --log-level <level>      trace, debug, info (default), warning, error, critical, off
          --concurrency <n>            replicas per wasm filter (default: number of cores)
          --mode <serve|validate>      validate: read the bootstrap, load the filters, print OK and exit
          --admin-address-path <file>  write the bound admin address (host:port) to this file
          --disable-hot-reload         do not watch the filters' .wasm files for changes
          -h, --help                   this text
        """;

    /// <returns>The options, or null with <paramref name="error"/> set (empty error: help was asked for).</returns>
    public static SidecarOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        string? config = null, adminPath = null;
        var level = LogLevel.Information;
        var concurrency = Environment.ProcessorCount;
        var mode = SidecarMode.Serve;
        var hotReload = true;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--") && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count) throw new ArgumentException($"{arg} needs a value");
                return args[++i];
            }
            try
            {
                switch (arg)
                {
                    case "-c" or "--config-path": config = Value(); break;
                    case "-l" or "--log-level": level = ParseLevel(Value()); break;
                    case "--concurrency":
                        var text = Value();
                        if (!int.TryParse(text, out concurrency) || concurrency < 1 || concurrency > 256)
                            throw new ArgumentException($"--concurrency must be a number from 1 to 256, got \"{text}\"");
                        break;
                    case "--mode":
                        mode = Value() switch
                        {
                            "serve" => SidecarMode.Serve,
                            "validate" => SidecarMode.Validate,
                            var other => throw new ArgumentException($"--mode must be serve or validate, got \"{other}\""),
                        };
                        break;
                    case "--admin-address-path": adminPath = Value(); break;
                    case "--disable-hot-reload": hotReload = false; break;
                    case "-h" or "--help":
                        error = "";
                        return null;
                    default:
                        throw new ArgumentException($"unknown argument \"{args[i]}\"");
                }
            }
            catch (ArgumentException e)
            {
                error = e.Message;
                return null;
            }
        }
        if (config is null)
        {
            error = "-c/--config-path is required";
            return null;
        }
        return new SidecarOptions
        {
            ConfigPath = config, LogLevel = level, Concurrency = concurrency,
            AdminAddressPath = adminPath, Mode = mode, HotReload = hotReload,
        };
    }

    /// <summary>Envoy's level names.</summary>
    public static LogLevel ParseLevel(string level) => level.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "off" => LogLevel.None,
        _ => throw new ArgumentException($"--log-level must be trace, debug, info, warning, error, critical or off, got \"{level}\""),
    };
}
