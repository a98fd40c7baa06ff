using System.Globalization;

namespace ImageHub.ProxyWasm.Bench;

internal sealed record BenchOptions(string ConformancePath, string RawPath, int Requests, int Rounds, int Warmup, bool Markdown)
{
    public static BenchOptions Parse(string[] args)
    {
        var paths = new List<string>();
        int requests = 20_000, rounds = 7, warmup = 20_000;
        var markdown = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--requests": requests = Count(args, ++i); break;
                case "--rounds": rounds = Count(args, ++i); break;
                case "--warmup": warmup = Count(args, ++i); break;
                case "--markdown": markdown = true; break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) || paths.Count == 2)
                        throw new ArgumentException($"unknown argument '{args[i]}'");
                    paths.Add(args[i]);
                    break;
            }
        }
        if (paths.Count != 2 || !paths.All(File.Exists))
            throw new ArgumentException("usage: ProxyWasm.Bench <conformance.wasm> <bench-raw.wasm> [--requests N] [--rounds N] [--warmup N] [--markdown]");
        return new BenchOptions(paths[0], paths[1], requests, rounds, warmup, markdown);
    }

    private static int Count(string[] args, int index) =>
        index < args.Length && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{args[index - 1]} needs a positive count");
}
