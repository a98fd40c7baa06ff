using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ImageHub.Web.Options;
using Microsoft.Extensions.Options;

namespace ImageHub.Web.Auth;

/// <summary>
/// The HS256 secret shared with the rate-limit filter. Taken from <c>ImageHub:Auth:SigningKey</c>;
/// when that is absent a random one is generated once and kept in <c>{DataDirectory}/signing-key.txt</c>
/// (readable only by the owner), so a demo works with no configuration and the sidecar's
/// configuration can be filled from the same file. The key is the UTF-8 bytes of the text,
/// leading/trailing white space ignored.
/// </summary>
public sealed class SigningKey
{
    public SigningKey(IOptions<ImageHubOptions> options, DataPaths paths, ILogger<SigningKey> logger)
    {
        var configured = options.Value.Auth.SigningKey;
        if (!string.IsNullOrEmpty(configured))
        {
            Text = configured;
            Source = "configuration (ImageHub:Auth:SigningKey)";
        }
        else
        {
            Text = LoadOrCreate(paths.SigningKeyFile, logger);
            Source = paths.SigningKeyFile;
        }
        if (Text.Length < ImageHubOptionsValidator.MinimumSigningKeyLength)
            throw new InvalidOperationException(
                $"The signing key from {Source} is shorter than {ImageHubOptionsValidator.MinimumSigningKeyLength} characters.");
        Bytes = Encoding.UTF8.GetBytes(Text);
    }

    public string Text { get; }
    public byte[] Bytes { get; }
    public string Source { get; }

    private static string LoadOrCreate(string file, ILogger logger)
    {
        if (File.Exists(file)) return File.ReadAllText(file).Trim();

        var text = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(48)); // 64 characters
        var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, fileOptions)) stream.Write(Encoding.UTF8.GetBytes(text));
        try
        {
            File.Move(temp, file, overwrite: false);
            logger.LogInformation("Generated a session signing key in {File}", file);
            return text;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process started at the same moment and won; use its key.
            File.Delete(temp);
            return File.ReadAllText(file).Trim();
        }
    }
}
