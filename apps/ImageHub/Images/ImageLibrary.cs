using System.Security.Cryptography;

namespace ImageHub.Web.Images;

/// <summary>
/// Keeps rows and blobs consistent. A blob is deleted only when no row uses it any more; a
/// single gate serialises "commit blob + insert row" against "delete row + delete unused blob",
/// so a delete can never remove bytes that a concurrent upload of the same content just reused.
/// </summary>
public sealed class ImageLibrary(ImageStore images, BlobStore blobs, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<ImageRecord> AddAsync(string tenant, string owner, string title, ImageInfo info, PendingBlob pending, CancellationToken ct)
    {
        var record = new ImageRecord(
            Id: Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Tenant: tenant, Owner: owner, Title: title, ContentType: info.ContentType,
            Size: pending.Length, Width: info.Width, Height: info.Height,
            Sha256: pending.Sha256!, Created: clock.GetUtcNow());
        await _gate.WaitAsync(ct);
        try
        {
            blobs.Commit(pending);
            await images.InsertAsync(record, CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
        return record;
    }

    public async Task DeleteAsync(ImageRecord image, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var stillUsed = await images.DeleteAsync(image.Tenant, image.Id, image.Sha256, CancellationToken.None);
            if (!stillUsed) blobs.Delete(image.Sha256);
        }
        finally
        {
            _gate.Release();
        }
    }
}
