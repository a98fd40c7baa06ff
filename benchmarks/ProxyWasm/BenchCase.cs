namespace ImageHub.ProxyWasm.Bench;

/// <summary>One measured way of sending a request and its response through a filter.</summary>
internal sealed record BenchCase(string Filter, string Path, Action Run, IDisposable Owner);

/// <summary>One round of one case, per request.</summary>
internal readonly record struct RoundResult(double CpuMicroseconds, double WallMicroseconds, double Bytes);

/// <summary>The medians of the measured rounds.</summary>
internal sealed record BenchResult(string Filter, string Path, double CpuMicroseconds, double WallMicroseconds, double BytesPerRequest);
