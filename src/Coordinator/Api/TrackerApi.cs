using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Repositories;
using OgActors.Messages.Common;
using OgActors.Messages.Computers;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Api;

/// <summary>
/// <c>GET /tracker[?repo=R][&amp;image=NAME]</c> (under the authenticated <c>/api</c> group): every repository's tracker
/// (or R's), per tracked image its seeders and downloaders by computer name, their progress and the completed count —
/// the repositories' <see cref="TrackerView"/>s joined with the computer registry (<see cref="TrackerViewJoin"/>).
/// Errors are <c>{"error": "one sentence"}</c>: 404 (unknown repository, image tracked nowhere), 409 (no tracker answered).
/// </summary>
public static class TrackerApi
{
    private static readonly TimeSpan QueryTimeout = RepositoryRegistryActor.TrackerQueryTimeout + TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapTrackerApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/tracker", async (string? repo, string? image, IRequiredActor<RepositoryRegistryActor> registry,
            IRequiredActor<ComputerRegistry> computers, CancellationToken ct) =>
        {
            repo = string.IsNullOrWhiteSpace(repo) ? null : repo.Trim();
            image = string.IsNullOrWhiteSpace(image) ? null : image.Trim();
            var known = (await registry.ActorRef.Ask<RepositoryList>(new ListRepositories(IncludeComputerCaches: false), QueryTimeout, ct)).Repositories;
            IReadOnlyList<string> asked;
            if (repo is not null)
            {
                if (known.FirstOrDefault(r => r.Name == repo) is not { } named)
                    return Error(StatusCodes.Status404NotFound, $"There is no repository named {repo}" +
                        (known.Count == 0 ? "." : $"; known: {string.Join(", ", known.Select(r => r.Name).Order())}."));
                if (!named.Online) return Error(StatusCodes.Status409Conflict, $"Repository {repo} is offline.");
                asked = [repo];
            }
            else asked = [.. known.Where(r => r.Online).Select(r => r.Name)];
            if (asked.Count == 0) return Error(StatusCodes.Status409Conflict, "No repository is online.");

            var replies = await Task.WhenAll(asked.Select(async name =>
            {
                try { return await registry.ActorRef.Ask<object>(new GetTrackerViewIn(name, new GetTrackerView(image)), QueryTimeout, ct); }
                catch (AskTimeoutException) { return new Refused($"Repository {name} did not give its tracker view within {QueryTimeout.TotalSeconds:0} s."); }
            }));
            var registered = (await computers.ActorRef.Ask<ComputerList>(new ListComputers(), QueryTimeout, ct)).Computers;
            var images = replies.OfType<TrackerView>().SelectMany(v => TrackerViewJoin.Join(v, registered, known)).ToList();
            var problems = replies.Select(r => r switch
            {
                Refused refused => refused.Reason,
                Status.Failure failure => failure.Cause.Message,
                TrackerView => null,
                var other => $"Unexpected answer {other.GetType().Name}.",
            }).OfType<string>().ToList();
            if (images.Count == 0 && problems.Count > 0 && !replies.OfType<TrackerView>().Any())
                return Error(repo is not null && problems[0].StartsWith("There is no", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict,
                    string.Join(" ", problems));
            if (image is not null && images.Count == 0)
                return Error(StatusCodes.Status404NotFound,
                    $"No tracker{(repo is null ? "" : $" of repository {repo}")} tracks image {image} (only ready images are tracked).{(problems.Count > 0 ? " " + string.Join(" ", problems) : "")}");
            return Results.Json(new TrackerReply(images, problems), RepositoryApi.Json);
        });
        return api;
    }

    private static IResult Error(int status, string sentence) => Results.Json(new { error = sentence }, RepositoryApi.Json, statusCode: status);
}
