namespace ImageHub.ProxyWasm.Hosting;

/// <summary>A callback into the filter trapped, ran out of budget or memory: the stream it was for fails, its replica is retired.</summary>
internal sealed class FilterFailedException(string message, Exception inner) : Exception(message, inner);
