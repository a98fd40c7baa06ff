namespace ImageHub.Quota.Store;

/// <summary>
/// The answer to one consume request.
/// <para><see cref="Remaining"/>: units still available in the current sliding window after this
/// decision (never negative).</para>
/// <para><see cref="ResetSeconds"/>: when allowed, seconds until the oldest counted unit leaves the
/// window (the moment <see cref="Remaining"/> next grows); when denied, seconds until a request of
/// the same cost would be allowed. Always rounded up and at least 1.</para>
/// </summary>
public sealed record QuotaDecision(bool Allowed, string Plan, int Limit, int Remaining, int ResetSeconds);
