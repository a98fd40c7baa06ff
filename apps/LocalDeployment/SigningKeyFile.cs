using System.Security.Cryptography;

namespace ImageHub.Deployment;

/// <summary>
/// The HS256 secret that the app signs session tokens with and the rate-limit filter verifies
/// them with. Generated once per data folder, so a restarted demo keeps its users signed in.
/// </summary>
public static class SigningKeyFile
{
    public static string LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "signing-key.txt");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(dataDirectory);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        File.WriteAllText(path, key);
        return key;
    }
}
