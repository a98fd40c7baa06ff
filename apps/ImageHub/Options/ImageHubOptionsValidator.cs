using Microsoft.Extensions.Options;

namespace ImageHub.Web.Options;

/// <summary>Refuses to start with settings that would make the app insecure or useless,
/// with a message that says what to change.</summary>
public sealed class ImageHubOptionsValidator : IValidateOptions<ImageHubOptions>
{
    public const int MinimumSigningKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, ImageHubOptions options)
    {
        var failures = new List<string>();
        var key = options.Auth.SigningKey;
        if (!string.IsNullOrEmpty(key) && key.Length < MinimumSigningKeyLength)
        {
            failures.Add($"ImageHub:Auth:SigningKey must be at least {MinimumSigningKeyLength} characters (it has {key.Length}). " +
                         "Set a longer secret, or remove the setting to let the app generate one in its data folder (signing-key.txt).");
        }
        if (options.MaxUploadBytes <= 0)
            failures.Add($"ImageHub:MaxUploadBytes must be positive (it is {options.MaxUploadBytes}).");
        if (options.Auth.SessionMinutes <= 0)
            failures.Add($"ImageHub:Auth:SessionMinutes must be positive (it is {options.Auth.SessionMinutes}).");
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            failures.Add("ImageHub:DataDirectory must not be empty.");
        if (!string.IsNullOrWhiteSpace(options.QuotaServiceUrl) &&
            !Uri.TryCreate(options.QuotaServiceUrl, UriKind.Absolute, out _))
            failures.Add($"ImageHub:QuotaServiceUrl is not an absolute URL: '{options.QuotaServiceUrl}'.");
        foreach (var tenant in options.Tenants)
        {
            if (!Tenancy.TenantSlug.IsValid(tenant.Slug))
                failures.Add($"ImageHub:Tenants: '{tenant.Slug}' is not a valid tenant slug ({Tenancy.TenantSlug.Rule}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
