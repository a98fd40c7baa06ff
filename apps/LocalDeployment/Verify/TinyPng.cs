namespace ImageHub.Deployment.Verify;

/// <summary>A valid 1×1 PNG, so verify can upload something to pull.</summary>
public static class TinyPng
{
    public static readonly byte[] Bytes = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
}
