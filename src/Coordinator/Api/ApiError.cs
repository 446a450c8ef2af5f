using Microsoft.AspNetCore.Http;

namespace OgActors.Coordinator.Api;

/// <summary>The body of every refusal of the operator API: one sentence an operator can act on.</summary>
public sealed record ApiError(string Error)
{
    public static IResult Result(int status, string sentence) => Results.Json(new ApiError(sentence), statusCode: status);
}
