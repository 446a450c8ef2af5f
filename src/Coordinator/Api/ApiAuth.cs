using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OgActors.Coordinator.Api;

/// <summary>Bearer-token check of everything under <c>/api</c>: a missing or wrong token is refused with 401 and a JSON sentence.</summary>
public static class ApiAuth
{
    public static Func<HttpContext, RequestDelegate, Task> Middleware(string token)
    {
        var expected = Encoding.UTF8.GetBytes(token);
        return async (context, next) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            string? refusal = null;
            if (string.IsNullOrEmpty(header))
                refusal = "This API needs a bearer token: send 'Authorization: Bearer TOKEN' (ogctl: --token or OG_TOKEN).";
            else if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                refusal = "The Authorization header must be 'Bearer TOKEN'.";
            else if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), expected))
                refusal = "The API token is wrong.";

            if (refusal is null)
            {
                await next(context);
                return;
            }
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiError.Result(StatusCodes.Status401Unauthorized, refusal).ExecuteAsync(context);
        };
    }
}
