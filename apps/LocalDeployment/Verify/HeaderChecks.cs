using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ImageHub.Deployment.Verify;

/// <summary>
/// The end-to-end contract of the response headers, checked against a running deployment:
/// what the multi-tenancy and rate-limit filters promise in the README's "Contracts" section.
/// Each run signs up fresh users, so it can run again and again against the same deployment.
/// </summary>
public sealed class HeaderChecks(TenantClient acme, CheckReport report)
{
    private const string Password = "verify-password-1";

    /// <summary>Stops the quota service when the caller can (a deployment it started itself).</summary>
    public Func<Task>? StopQuotaService { get; init; }

    public async Task RunAsync()
    {
        var suffix = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var globex = acme.ForTenant("globex");

        await UnknownTenantIsRejected();
        var token = await acme.SignUpAsync("verify-" + suffix, Password, "personal");
        var globexToken = await globex.SignUpAsync("verify-" + suffix, Password, "personal");
        var imageId = await acme.UploadPngAsync(token, TinyPng.Bytes);
        await ResponsesCarryTheTenant(token);
        await ClientTenantHeaderIsOverwritten(token);
        await ForgedTokenIsRefused(imageId, token);
        await OtherTenantsTokenIsForbidden(imageId, globexToken);
        await PersonalPlanAllowsTenPullsThenLimits(imageId, token);
        var teamToken = await acme.ChangePlanAsync(token, "team");
        await TeamPlanRaisesTheLimit(imageId, teamToken);
        await QuotaOutageFollowsTheFailureMode(imageId, teamToken);
    }

    private async Task UnknownTenantIsRejected()
    {
        using var response = await acme.ForTenant("no-such-tenant").SendAsync(HttpMethod.Get, "/");
        var body = await response.Content.ReadAsStringAsync();
        report.Expect("unknown tenant → 404 unknown_tenant",
            response.StatusCode == HttpStatusCode.NotFound && body.Contains("unknown_tenant"),
            $"{(int)response.StatusCode} {Short(body)}");
    }

    private async Task ResponsesCarryTheTenant(string token)
    {
        using var response = await acme.SendAsync(HttpMethod.Get, "/api/me", token);
        report.Expect("responses carry x-imagehub-tenant", Header(response, "x-imagehub-tenant") == "acme",
            $"{(int)response.StatusCode}, x-imagehub-tenant: {Header(response, "x-imagehub-tenant") ?? "(none)"}");
    }

    private async Task ClientTenantHeaderIsOverwritten(string token)
    {
        // Were the client's header believed, the app would see globex and refuse the acme token.
        using var response = await acme.SendAsync(HttpMethod.Get, "/api/me", token, headers: [("x-imagehub-tenant", "globex")]);
        var body = await response.Content.ReadAsStringAsync();
        report.Expect("a client-sent x-imagehub-tenant is overwritten",
            response.StatusCode == HttpStatusCode.OK && body.Contains("\"acme\"") && Header(response, "x-imagehub-tenant") == "acme",
            $"{(int)response.StatusCode}, x-imagehub-tenant: {Header(response, "x-imagehub-tenant") ?? "(none)"}");
    }

    private async Task ForgedTokenIsRefused(string imageId, string token)
    {
        var parts = token.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var response = await acme.SendAsync(HttpMethod.Get, $"/api/images/{imageId}/pull", forged);
        report.Expect("a forged token → 401 with www-authenticate",
            response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.Count > 0,
            $"{(int)response.StatusCode}, www-authenticate: {string.Join(",", response.Headers.WwwAuthenticate)}");
    }

    private async Task OtherTenantsTokenIsForbidden(string imageId, string globexToken)
    {
        using var response = await acme.SendAsync(HttpMethod.Get, $"/api/images/{imageId}/pull", globexToken);
        report.Expect("another tenant's token → 403", response.StatusCode == HttpStatusCode.Forbidden,
            $"{(int)response.StatusCode}");
    }

    private async Task PersonalPlanAllowsTenPullsThenLimits(string imageId, string token)
    {
        var remaining = new List<string>();
        var allOk = true;
        string? limit = null, reset = null;
        for (var pull = 1; pull <= 10; pull++)
        {
            using var response = await acme.SendAsync(HttpMethod.Get, $"/api/images/{imageId}/pull", token);
            allOk &= response.StatusCode == HttpStatusCode.OK;
            remaining.Add(Header(response, "x-ratelimit-remaining") ?? "?");
            limit ??= Header(response, "x-ratelimit-limit");
            reset ??= Header(response, "x-ratelimit-reset");
        }
        var expected = Enumerable.Range(0, 10).Select(i => (9 - i).ToString());
        report.Expect("a signed-in pull carries x-ratelimit-limit/remaining/reset",
            allOk && limit == "10" && int.TryParse(reset, out var r) && r > 0,
            $"limit {limit ?? "(none)"}, reset {reset ?? "(none)"}");
        report.Expect("x-ratelimit-remaining goes down 9 → 0 on Personal", remaining.SequenceEqual(expected),
            string.Join(" ", remaining));

        using var denied = await acme.SendAsync(HttpMethod.Get, $"/api/images/{imageId}/pull", token);
        var retryAfter = denied.Headers.RetryAfter?.Delta?.TotalSeconds;
        report.Expect("the 11th pull within a minute → 429 with retry-after",
            denied.StatusCode == HttpStatusCode.TooManyRequests && retryAfter > 0,
            $"{(int)denied.StatusCode}, retry-after: {retryAfter?.ToString() ?? "(none)"}");
    }

    private async Task TeamPlanRaisesTheLimit(string imageId, string teamToken)
    {
        using var response = await acme.SendAsync(HttpMethod.Get, $"/api/images/{imageId}/pull", teamToken);
        report.Expect("upgrading to Team raises the limit to 100",
            response.StatusCode == HttpStatusCode.OK && Header(response, "x-ratelimit-limit") == "100",
            $"{(int)response.StatusCode}, limit {Header(response, "x-ratelimit-limit") ?? "(none)"}, remaining {Header(response, "x-ratelimit-remaining") ?? "(none)"}");
    }

    private async Task QuotaOutageFollowsTheFailureMode(string imageId, string token)
    {
        const string check = "with the quota service stopped, a pull fails open (200, x-ratelimit-status: degraded)";
        if (StopQuotaService is null)
        {
            report.Skip(check, "the deployment was not started by verify, so its quota service is not ours to stop");
            return;
        }
        await StopQuotaService();
        using var response = await acme.SendAsync(HttpMethod.Get, $"/api/images/{imageId}/pull", token);
        report.Expect(check,
            response.StatusCode == HttpStatusCode.OK && Header(response, "x-ratelimit-status") == "degraded",
            $"{(int)response.StatusCode}, x-ratelimit-status: {Header(response, "x-ratelimit-status") ?? "(none)"}");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    private static string Short(string body) => body.Length <= 80 ? body : body[..80] + "…";
}
