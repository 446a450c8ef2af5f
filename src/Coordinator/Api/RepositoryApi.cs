using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Operations;
using OgActors.Coordinator.Repositories;
using OgActors.Messages.Audit;
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
/// Imports and deletions are recorded in the operations ledger (who, what, outcome) and so appear in the audit.
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

        api.MapPost("/images/import", async (ImportRequest request, IRequiredActor<RepositoryRegistryActor> registry, ActorRegistry actors,
            HttpContext http) =>
        {
            var path = request.Path?.Trim() ?? "";
            var folder = request.Folder ?? "";
            var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
            var details = $"{(path.Length == 0 ? "(no path)" : path)}{(name is null ? "" : $" as {name}")}{(folder.Length == 0 ? "" : $" into folder {folder}")}";
            var step = new RecordOperation(OperationRecorder.NewId(), OperationKind.ImageImport, path.Length == 0 ? "(no path)" : path, details,
                OperationOutcome.Started, "", DomainApi.Identity(http), request.Repo?.Trim() ?? "", name is null ? null : [name]);
            return await Audited(OperationRecorder.From(actors), step,
                path.Length == 0 ? new Refused("Say which path to import.") : null, CommandTimeout,
                () => registry.ActorRef.Ask<object>(new ImportImageInto(request.Repo, new ImportImage(path, name, folder)), CommandTimeout),
                r => r is ImportCompleted c
                    ? (c.Repository, [.. c.Images.Select(i => i.CanonicalName)],
                        $"Imported {string.Join(", ", c.Images.Select(i => $"{(i.Folder.Length == 0 ? "" : i.Folder + "/")}{i.CanonicalName} ({i.OgLine})"))}.")
                    : (step.Repository, step.Images ?? [], "Imported."));
        });

        api.MapDelete("/images/{name}", async (string name, string? repo, string? folder, bool? purge,
            IRequiredActor<RepositoryRegistryActor> registry, ActorRegistry actors, HttpContext http) =>
        {
            var command = new DeleteImageFile(name, folder ?? "", purge ?? false);
            var file = command.Folder.Length == 0 ? name : $"{command.Folder}/{name}";
            if (string.IsNullOrWhiteSpace(repo))
            {   // the repository that holds it, when only one does: named in the audit and asked explicitly (else the registry says why not)
                var list = await registry.ActorRef.Ask<RepositoryList>(new ListRepositories(), QueryTimeout);
                var holders = list.Repositories.Where(r => r.Online && r.Images.Any(i => i.CanonicalName == name && i.Folder == command.Folder)).ToList();
                if (holders.Count == 1) repo = holders[0].Name;
            }
            var step = new RecordOperation(OperationRecorder.NewId(), OperationKind.ImageFileDeletion, file,
                $"{file}.img{(command.Purge ? ", purged" : ", kept as .ant")}", OperationOutcome.Started, "", DomainApi.Identity(http),
                repo?.Trim() ?? "", [name]);
            return await Audited(OperationRecorder.From(actors), step, null, QueryTimeout,
                () => registry.ActorRef.Ask<object>(new DeleteImageIn(repo, command), QueryTimeout),
                _ => (step.Repository, step.Images ?? [], $"Deleted {file}.img{(command.Purge ? " and its sidecars" : " (kept as the previous version, .ant)")}."));
        });
        return api;
    }

    /// <summary>
    /// An operator's operation on a repository's files, recorded in the operations ledger: started (when that cannot be
    /// recorded nothing is done: 503), then done, refused or failed with its sentence. The operation is awaited to its real end
    /// even when the operator's request goes away, so the audit says how it ended.
    /// </summary>
    private static async Task<IResult> Audited(OperationRecorder ledger, RecordOperation step, Refused? badRequest, TimeSpan timeout,
        Func<Task<object>> operation, Func<object, (string Repository, IReadOnlyList<string> Images, string Sentence)> done)
    {
        if (await ledger.StartAsync(step) is { } unrecorded) return Error(StatusCodes.Status503ServiceUnavailable, unrecorded);
        object reply;
        try { reply = badRequest ?? await operation(); }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            reply = new Status.Failure(new TimeoutException(timeout >= TimeSpan.FromMinutes(1)
                ? $"The repository did not answer within {timeout.TotalMinutes:0} minutes."
                : $"The repository did not answer within {timeout.TotalSeconds:0} seconds."));
        }
        var end = reply switch
        {
            Refused r => step with { Outcome = OperationOutcome.Refused, Sentence = r.Reason },
            Status.Failure f => step with { Outcome = OperationOutcome.Failed, Sentence = f.Cause.Message },
            _ => done(reply) is var (repository, images, sentence)
                ? step with { Outcome = OperationOutcome.Done, Sentence = sentence, Repository = repository.Length > 0 ? repository : step.Repository,
                    Images = [.. images] }
                : step,
        };
        // Should the end not be recorded (the journal failed meanwhile), the ledger keeps the operation under way: the audit
        // shows it started and never claims an end it does not know.
        await ledger.EndAsync(end);
        return badRequest is not null ? Error(StatusCodes.Status400BadRequest, badRequest.Reason) : Reply(reply, r => r);
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
