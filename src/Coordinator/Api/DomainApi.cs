using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OgActors.Messages.Common;

namespace OgActors.Coordinator.Api;

/// <summary>
/// What the classroom, image, session and audit palettes share: JSON with enums as strings, the caller's identity,
/// and replies mapped to HTTP (Accepted → 200 {id}; Refused → 404 when something does not exist, else 400 {error}).
/// </summary>
public static class DomainApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Maps every domain palette on the (authenticated) <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapCoordinatorDomainApi(this IEndpointRouteBuilder api)
    {
        ClassroomApi.Map(api);
        ImageApi.Map(api);
        ProfileApi.Map(api); // software profiles (issue 17)
        SessionApi.Map(api);
        AuditApi.Map(api);
        return api;
    }

    /// <summary>Who is calling: the identity the API's token authentication set, else "operator".</summary>
    public static string Identity(HttpContext http) =>
        http.User.Identity?.Name is { Length: > 0 } name ? name
        : http.Items.TryGetValue("og.identity", out var id) && id is string s && s.Length > 0 ? s
        : "operator";

    public static IResult Error(int status, string sentence) => Results.Json(new { error = sentence }, Json, statusCode: status);

    public static IResult Reply(object reply) => reply switch
    {
        Accepted a => Results.Json(new { id = a.Id }, Json),
        Refused r when r.Reason.Contains("does not exist") || r.Reason.Contains("is not defined") || r.Reason.Contains("has no computer named")
            => Error(StatusCodes.Status404NotFound, r.Reason),
        Refused r => Error(StatusCodes.Status400BadRequest, r.Reason),
        _ => Results.Json(reply, Json), // object: serialized by its runtime type
    };

    /// <summary>Reads a JSON body; a missing or malformed body is refused with one sentence.</summary>
    public static async Task<(T? Body, IResult? Error)> BodyAsync<T>(HttpContext http) where T : class
    {
        try
        {
            var body = await http.Request.ReadFromJsonAsync<T>(Json, http.RequestAborted);
            return body is null ? (null, Error(400, "The request needs a JSON body.")) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, Error(400, $"The request body is not valid JSON for this command: {e.Message.Split('.')[0]}."));
        }
        catch (InvalidOperationException)
        {
            return (null, Error(400, "The request body must be JSON (Content-Type: application/json)."));
        }
    }

    /// <summary>Writes one JSON document per line and flushes it (NDJSON streaming).</summary>
    public static async Task WriteLineAsync<T>(HttpResponse response, T value, CancellationToken cancel)
    {
        await response.WriteAsync(JsonSerializer.Serialize(value, Json) + "\n", cancel);
        await response.Body.FlushAsync(cancel);
    }
}
