namespace ImageHub.ProxyWasm.Bench;

/// <summary>One measured way of sending a request and its response through a filter.</summary>
internal sealed record BenchCase(string Filter, string Path, Action Run, IDisposable Owner);

/// <summary>The median of the measured rounds.</summary>
internal sealed record BenchResult(string Filter, string Path, double MicrosecondsPerRequest, double BytesPerRequest);
