namespace ImageHub.Quota.Store;

/// <summary>The store cannot answer right now (Redis down, timed out, loading). The API answers 503.</summary>
public sealed class QuotaStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
