namespace ImageHub.Quota.Apis;

/// <summary>The problem+json answers the API gives, so every endpoint words them the same way.</summary>
internal static class ApiProblems
{
    public static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    public static IResult StoreUnavailable(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Quota store unavailable", detail: detail);
}
