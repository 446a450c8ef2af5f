using Akka.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OgActors.Coordinator.Operations;
using OgActors.Messages.Audit;

namespace OgActors.Coordinator.Api;

/// <summary>
/// Bearer-token check of everything under <c>/api</c>: a missing or wrong token is refused with 401 and a JSON sentence;
/// an accepted token's operator goes into <c>HttpContext.Items["og.identity"]</c> (the "who" of the events it causes) and
/// <c>["og.role"]</c>. A viewer's request that would change something is refused with 403 and a sentence, and the refusal is
/// recorded in the operations ledger (audit: "api request refused"). Tokens are known only by their hashes
/// (<see cref="OperatorDirectory"/>): the configured operators and the operators file, read again when it changes.
/// </summary>
public static class ApiAuth
{
    public const string IdentityItem = "og.identity";
    public const string RoleItem = "og.role";
    private static readonly TimeSpan RefusalRecordTimeout = TimeSpan.FromSeconds(3);

    public static Func<HttpContext, RequestDelegate, Task> Middleware(IReadOnlyList<ApiOperator> configured, OperatorsFile? file, ILogger log)
    {
        OperatorDirectory Directory() =>
            file is null ? new OperatorDirectory(configured)
            : new OperatorDirectory([.. configured, .. file.Read(bad => log.LogWarning("The operators file is not used until it is fixed: {Reason}", bad))
                .Where(o => !configured.Any(c => string.Equals(c.Name, o.Name, StringComparison.OrdinalIgnoreCase)))]);

        return async (context, next) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            string? refusal = null;
            ApiOperator? op = null;
            if (string.IsNullOrEmpty(header))
                refusal = "This API needs a bearer token: send 'Authorization: Bearer TOKEN' (ogctl: --token or OG_TOKEN).";
            else if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                refusal = "The Authorization header must be 'Bearer TOKEN'.";
            else
            {
                lock (configured) op = Directory().Authenticate(header["Bearer ".Length..].Trim());
                if (op is null) refusal = "The API token is wrong.";
            }

            if (refusal is not null)
            {
                log.LogWarning("API request {Method} {Path} from {Remote} refused: {Reason}", context.Request.Method, context.Request.Path,
                    context.Connection.RemoteIpAddress, refusal);
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ApiError.Result(StatusCodes.Status401Unauthorized, refusal).ExecuteAsync(context);
                return;
            }

            context.Items[IdentityItem] = op!.Name;
            context.Items[RoleItem] = op.Role;
            var target = $"{context.Request.Method} {context.Request.Path}";
            if (OperatorDirectory.Refusal(op, context.Request.Method, context.Request.Path) is { } forbidden)
            {
                var ledger = OperationRecorder.From(context.RequestServices.GetRequiredService<ActorRegistry>());
                var notRecorded = await ledger.RecordAsync(new RecordOperation(OperationRecorder.NewId(), OperationKind.ApiRequest, target,
                    $"operator {op.Name} ({op.Role.ToString().ToLowerInvariant()}) from {context.Connection.RemoteIpAddress}",
                    OperationOutcome.Refused, forbidden, op.Name), RefusalRecordTimeout);
                if (notRecorded is not null) log.LogWarning("The refusal of {Target} to {Operator} could not be audited: {Reason}", target, op.Name, notRecorded);
                await ApiError.Result(StatusCodes.Status403Forbidden, forbidden).ExecuteAsync(context);
                return;
            }
            await next(context);
        };
    }
}
