using System.Security.Cryptography;
using ImageHub.Web.Options;

namespace ImageHub.Web.Images;

/// <summary>
/// Image bytes, content-addressed: <c>blobs/ab/abcdef…</c> named by their SHA-256 (hex).
/// New bytes go to a temp file in <c>blobs/tmp</c> first and are renamed into place, so a
/// reader never sees half a blob and equal uploads share one file.
/// </summary>
public sealed class BlobStore(DataPaths paths)
{
    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException("Not a lowercase SHA-256 hex digest.", nameof(sha256));
        return Path.Combine(paths.BlobDirectory, sha256[..2], sha256);
    }

    public PendingBlob CreatePending() => new(Path.Combine(paths.BlobTempDirectory, Guid.NewGuid().ToString("N") + ".part"));

    /// <summary>Moves the pending bytes to their content address (or drops them if that blob exists).</summary>
    public void Commit(PendingBlob pending)
    {
        var target = PathOf(pending.Sha256 ?? throw new InvalidOperationException("Nothing was written."));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (!File.Exists(target))
        {
            try
            {
                File.Move(pending.TempPath, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Same bytes arrived through another path at the same moment; either copy is fine.
            }
        }
        pending.Dispose();
    }

    public Stream OpenRead(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, useAsync: true);

    public void Delete(string sha256) => File.Delete(PathOf(sha256));

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>Every file under the blob folder (tests use it to prove nothing was left behind).</summary>
    public IEnumerable<string> AllFiles() => Directory.EnumerateFiles(paths.BlobDirectory, "*", SearchOption.AllDirectories);
}

/// <summary>An upload being received into a temp file; deleted on dispose unless committed.</summary>
public sealed class PendingBlob(string tempPath) : IDisposable
{
    public string TempPath { get; } = tempPath;
    public long Length { get; private set; }
    public string? Sha256 { get; private set; }

    /// <summary>Copies at most <paramref name="maxBytes"/> bytes; returns false (and stops reading) when there are more.</summary>
    public async Task<bool> WriteAsync(Stream source, long maxBytes, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(TempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, useAsync: true);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > maxBytes) return false;
            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        Length = total;
        Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        return true;
    }

    public Stream OpenRead() => new FileStream(TempPath, FileMode.Open, FileAccess.Read, FileShare.Read);

    public void Dispose()
    {
        try { File.Delete(TempPath); }
        catch (IOException) { /* already moved or never created */ }
    }
}
