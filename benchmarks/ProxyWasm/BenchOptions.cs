using System.Globalization;

namespace ImageHub.ProxyWasm.Bench;

/// <param name="TenancyPath">multi-tenancy.wasm, optional: with <paramref name="RateLimitPath"/> it adds the project's own two filters, chained as in the sidecar.</param>
internal sealed record BenchOptions(string ConformancePath, string RawPath, string? TenancyPath, string? RateLimitPath, int Requests, int Rounds, int Warmup, bool Markdown, string? Only = null)
{
    public static BenchOptions Parse(string[] args)
    {
        var paths = new List<string>();
        int requests = 20_000, rounds = 7, warmup = 20_000;
        var markdown = false;
        string? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--requests": requests = Count(args, ++i); break;
                case "--rounds": rounds = Count(args, ++i); break;
                case "--warmup": warmup = Count(args, ++i); break;
                case "--markdown": markdown = true; break;
                case "--only": only = ++i < args.Length ? args[i] : throw new ArgumentException("--only needs part of a case's name"); break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) || paths.Count == 4)
                        throw new ArgumentException($"unknown argument '{args[i]}'");
                    paths.Add(args[i]);
                    break;
            }
        }
        if (paths.Count is not (2 or 4) || !paths.All(File.Exists))
            throw new ArgumentException("usage: ProxyWasm.Bench <conformance.wasm> <bench-raw.wasm> [<multi-tenancy.wasm> <rate-limit.wasm>] [--requests N] [--rounds N] [--warmup N] [--markdown] [--only NAME]");
        return new BenchOptions(paths[0], paths[1], paths.ElementAtOrDefault(2), paths.ElementAtOrDefault(3), requests, rounds, warmup, markdown, only);
    }

    private static int Count(string[] args, int index) =>
        index < args.Length && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{args[index - 1]} needs a positive count");
}
