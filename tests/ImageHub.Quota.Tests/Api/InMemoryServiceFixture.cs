using ImageHub.Quota.Tests.Support;

namespace ImageHub.Quota.Tests.Api;

/// <summary>One in-memory service shared by a test class (tests use fresh tenants).</summary>
public sealed class InMemoryServiceFixture : IDisposable
{
    public QuotaServiceFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
