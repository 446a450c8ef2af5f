using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OgActors.Coordinator.Api;

/// <summary>
/// Bearer-token check of everything under <c>/api</c>: a missing or wrong token is refused with 401 and a JSON sentence;
/// an accepted token's identity goes into <c>HttpContext.Items["og.identity"]</c>, the "who" of the events it causes.
/// </summary>
public static class ApiAuth
{
    public const string IdentityItem = "og.identity";

    public static Func<HttpContext, RequestDelegate, Task> Middleware(IReadOnlyDictionary<string, string> identities)
    {
        var expected = identities.Select(kv => (Token: Encoding.UTF8.GetBytes(kv.Key), Identity: kv.Value)).ToList();
        return async (context, next) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            string? refusal = null, identity = null;
            if (string.IsNullOrEmpty(header))
                refusal = "This API needs a bearer token: send 'Authorization: Bearer TOKEN' (ogctl: --token or OG_TOKEN).";
            else if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                refusal = "The Authorization header must be 'Bearer TOKEN'.";
            else
            {
                var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
                foreach (var (token, who) in expected)
                    if (CryptographicOperations.FixedTimeEquals(given, token)) identity = who;
                if (identity is null) refusal = "The API token is wrong.";
            }

            if (refusal is null)
            {
                context.Items[IdentityItem] = identity;
                await next(context);
                return;
            }
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiError.Result(StatusCodes.Status401Unauthorized, refusal).ExecuteAsync(context);
        };
    }
}
