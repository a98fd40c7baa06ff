using System.Net.Http.Json;

namespace ImageHub.Web.Plans;

/// <summary><c>PUT {QuotaServiceUrl}/v1/users/{tenant}/{user}/plan</c> with <c>{"plan":"team"}</c>.</summary>
public sealed class HttpQuotaPlanSync(HttpClient http) : IQuotaPlanSync
{
    public async Task SetPlanAsync(string tenant, string username, string plan, CancellationToken ct = default)
    {
        var path = $"v1/users/{Uri.EscapeDataString(tenant)}/{Uri.EscapeDataString(username)}/plan";
        HttpResponseMessage response;
        try
        {
            response = await http.PutAsJsonAsync(path, new { plan }, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new QuotaPlanSyncException($"The quota service at {http.BaseAddress} could not be reached: {e.Message}", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new QuotaPlanSyncException(
                    $"The quota service at {http.BaseAddress} answered {(int)response.StatusCode} {response.ReasonPhrase} to the plan change.");
        }
    }
}
