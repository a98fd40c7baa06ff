using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageHub.Quota.Apis;

/// <summary>
/// Compile-time JSON metadata for the API's shapes: no reflection on the hot path. Numbers are
/// strict: <c>"cost": "1"</c> is a client bug worth reporting, not something to guess at.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ConsumeRequest))]
[JsonSerializable(typeof(ConsumeResponse))]
[JsonSerializable(typeof(SetPlanRequest))]
[JsonSerializable(typeof(UserPlanResponse))]
[JsonSerializable(typeof(PlanResponse[]))]
internal sealed partial class QuotaJsonContext : JsonSerializerContext;
