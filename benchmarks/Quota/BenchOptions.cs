namespace ImageHub.Quota.Bench;

/// <summary>Command line: every run is bounded by time and stays on loopback.</summary>
internal sealed record BenchOptions(int Clients, TimeSpan Duration, TimeSpan Warmup, int Users, string[] Cases, string HttpClient)
{
    public static readonly string[] AllCases = ["store-memory", "store-redis", "http-memory", "http-redis"];

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(32, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), 10_000, AllCases, WrkLoad.Available ? "wrk" : "dotnet");
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--clients" => options with { Clients = Positive("--clients", Value(), 1024) },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(Positive("--seconds", Value(), 300)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Positive("--warmup", Value(), 60)) },
                "--users" => options with { Users = Positive("--users", Value(), 10_000_000) },
                "--http-client" => options with { HttpClient = Value() switch { "wrk" => "wrk", "dotnet" => "dotnet", _ => throw new ArgumentException("--http-client is wrk or dotnet.") } },
                "--case" => options with { Cases = Value().Split(',').Select(Known).ToArray() },
                "-h" or "--help" => throw new ArgumentException(Usage),
                var other => throw new ArgumentException($"Unknown argument '{other}'.\n{Usage}"),
            };
        }
        return options;
    }

    public const string Usage =
        "usage: Quota.Bench [--clients 32] [--seconds 5] [--warmup 3] [--users 10000] [--case store-memory,store-redis,http-memory,http-redis] [--http-client wrk|dotnet]";

    private static string Known(string name) =>
        AllCases.Contains(name) ? name : throw new ArgumentException($"Unknown case '{name}'; known: {string.Join(", ", AllCases)}.");

    private static int Positive(string name, string value, int max) =>
        int.TryParse(value, out var n) && n >= 1 && n <= max ? n : throw new ArgumentException($"{name} must be a whole number from 1 to {max}.");
}
