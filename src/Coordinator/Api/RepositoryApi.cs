using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Repositories;
using OgActors.Messages.Common;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Api;

/// <summary>
/// The operator API of repositories and image files, mapped on the coordinator's authenticated <c>/api</c> group
/// (routes below are relative to it):
/// <list type="bullet">
/// <item>GET /repositories[?caches=false] — every repository: name, address, free/total space, cache flag, online, image count;</item>
/// <item>GET /repositories/{name} — one repository with its catalog;</item>
/// <item>GET /repositories/{name}/images — its catalog (name, size, info, sums, state, time);</item>
/// <item>POST /images/import {path, name?, repo?, folder?} — import a path on the repository node;</item>
/// <item>DELETE /images/{name}?repo=&amp;folder=&amp;purge= — delete an image file (kept as .ant unless purge).</item>
/// </list>
/// Errors are <c>{"error": "one sentence"}</c> with 400/404/409.
/// </summary>
public static class RepositoryApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromHours(2);

    public sealed record ImportRequest(string? Path, string? Name, string? Repo, string? Folder);

    public sealed record RepositorySummary(string Name, string HttpAddress, long FreeBytes, long TotalBytes, bool IsComputerCache,
        bool CanBeAssigned, bool Online, DateTimeOffset LastSeen, int ImageCount);

    public static IEndpointRouteBuilder MapRepositoryApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/repositories", async (bool? caches, IRequiredActor<RepositoryRegistryActor> registry, CancellationToken ct) =>
        {
            var list = await registry.ActorRef.Ask<RepositoryList>(new ListRepositories(caches ?? true), QueryTimeout, ct);
            return Results.Json(list.Repositories.Select(r => new RepositorySummary(r.Name, r.HttpAddress, r.FreeBytes, r.TotalBytes,
                r.IsComputerCache, r.CanBeAssigned, r.Online, r.LastSeen, r.Images.Count)), Json);
        });

        api.MapGet("/repositories/{name}", async (string name, IRequiredActor<RepositoryRegistryActor> registry, CancellationToken ct) =>
            Reply(await registry.ActorRef.Ask<object>(new GetRepository(name), QueryTimeout, ct), r => r));

        api.MapGet("/repositories/{name}/images", async (string name, IRequiredActor<RepositoryRegistryActor> registry, CancellationToken ct) =>
            Reply(await registry.ActorRef.Ask<object>(new GetRepository(name), QueryTimeout, ct), r => ((RepositoryStatus)r).Images));

        api.MapPost("/images/import", async (ImportRequest request, IRequiredActor<RepositoryRegistryActor> registry, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Path))
                return Error(StatusCodes.Status400BadRequest, "Say which path to import.");
            var command = new ImportImage(request.Path, string.IsNullOrWhiteSpace(request.Name) ? null : request.Name, request.Folder ?? "");
            return Reply(await registry.ActorRef.Ask<object>(new ImportImageInto(request.Repo, command), CommandTimeout, ct), r => r);
        });

        api.MapDelete("/images/{name}", async (string name, string? repo, string? folder, bool? purge,
            IRequiredActor<RepositoryRegistryActor> registry, CancellationToken ct) =>
        {
            var command = new DeleteImageFile(name, folder ?? "", purge ?? false);
            return Reply(await registry.ActorRef.Ask<object>(new DeleteImageIn(repo, command), QueryTimeout, ct), r => r);
        });
        return api;
    }

    private static IResult Reply(object reply, Func<object, object> body) => reply switch
    {
        Refused refused => Error(refused.Reason.StartsWith("There is no", StringComparison.Ordinal) || refused.Reason.Contains(" has no image")
            ? StatusCodes.Status404NotFound
            : StatusCodes.Status409Conflict, refused.Reason),
        Status.Failure failure => Error(StatusCodes.Status502BadGateway, failure.Cause.Message),
        _ => Results.Json(body(reply), Json),
    };

    private static IResult Error(int status, string sentence) => Results.Json(new { error = sentence }, Json, statusCode: status);
}
