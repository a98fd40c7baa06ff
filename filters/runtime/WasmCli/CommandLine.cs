using System.Globalization;

namespace ImageHub.Wasm.Cli;

/// <summary>
/// Parses <c>run [OPTIONS] FILE [ARGS...]</c>. Options end at the module path, so that
/// everything after it reaches the guest untouched, as with <c>wasmtime run</c>.
/// </summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: wasm run [OPTIONS] FILE.wasm [ARGS...]
               wasm inspect FILE.wasm

        run     runs a WASI command module (its _start export); its stdout and stderr
                are passed through and the exit code is the one it passed to proc_exit.
                With --invoke, calls that export instead, with ARGS as its parameters,
                and prints one result per line.
        inspect lists a module's imports and exports.

        options (before FILE):
          --invoke NAME        call export NAME instead of _start
          --env KEY=VALUE      set a guest environment variable (repeatable)
          --fuel N             trap after N units of fuel (calls and loop iterations)
          --timeout SECONDS    trap when the call (or the start function) runs longer
          --max-memory-pages N cap linear memory at N 64 KiB pages
          --                   end of options (for a FILE that starts with '-')

        exit code: the guest's, 0 when _start returns; 134 after a trap; 1 when the
        module cannot be read, decoded or linked; 2 for a usage error.
        """;

    /// <summary>The request, or an error message for the user.</summary>
    public static (RunRequest? Request, string? Error) ParseRun(IReadOnlyList<string> args)
    {
        var environment = new List<KeyValuePair<string, string>>();
        string? invoke = null;
        long? fuel = null;
        TimeSpan? timeout = null;
        int? maxPages = null;
        var i = 0;
        for (; i < args.Count && args[i].StartsWith('-'); i++)
        {
            var option = args[i];
            if (option == "--") { i++; break; }
            if (i + 1 >= args.Count) return (null, $"option {option} needs a value");
            var value = args[++i];
            switch (option)
            {
                case "--invoke":
                    invoke = value;
                    break;
                case "--env":
                    var equals = value.IndexOf('=');
                    if (equals <= 0) return (null, $"--env expects KEY=VALUE, got '{value}'");
                    environment.Add(new(value[..equals], value[(equals + 1)..]));
                    break;
                case "--fuel":
                    if (!long.TryParse(value, CultureInfo.InvariantCulture, out var f) || f < 0) return (null, $"--fuel expects a count, got '{value}'");
                    fuel = f;
                    break;
                case "--timeout":
                    if (!double.TryParse(value, CultureInfo.InvariantCulture, out var s) || s <= 0) return (null, $"--timeout expects seconds, got '{value}'");
                    timeout = TimeSpan.FromSeconds(s);
                    break;
                case "--max-memory-pages":
                    if (!int.TryParse(value, CultureInfo.InvariantCulture, out var p) || p < 0) return (null, $"--max-memory-pages expects a page count, got '{value}'");
                    maxPages = p;
                    break;
                default:
                    return (null, $"unknown option {option}");
            }
        }
        if (i >= args.Count) return (null, "missing FILE.wasm");
        return (new RunRequest
        {
            ModulePath = args[i],
            Arguments = args.Skip(i + 1).ToArray(),
            Environment = environment,
            Invoke = invoke,
            Fuel = fuel,
            Timeout = timeout,
            MaxMemoryPages = maxPages,
        }, null);
    }
}
