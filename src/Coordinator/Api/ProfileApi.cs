using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Domain;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Profiles;

namespace OgActors.Coordinator.Api;

/// <summary>
/// Software profiles (read by the repositories from the images themselves):
/// <list type="bullet">
/// <item>GET /images/{canonical}/profile[?revision=N] — the profile of the current (or Nth) revision;</item>
/// <item>GET /profiles/diff?from=A&amp;to=B[&amp;fromRevision=N][&amp;toRevision=M] — packages added, removed and
/// changed from A to B (two images, or one image's two revisions).</item>
/// </list>
/// </summary>
public static class ProfileApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/images/{canonical}/profile", async (CoordinatorDomain d, string canonical, int? revision, CancellationToken ct) =>
            DomainApi.Reply(await d.AskAsync(new GetImageProfile(canonical, revision), ct)));

        api.MapGet("/profiles/diff", async (CoordinatorDomain d, string? from, string? to, int? fromRevision, int? toRevision, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(from)) return DomainApi.Error(400, "Say which image to compare from.");
            to = string.IsNullOrWhiteSpace(to) ? from : to;
            if (to == from && fromRevision is null && toRevision is null)
                return DomainApi.Error(400, $"Comparing {from} with itself: give a second image or --from-revision/--to-revision.");
            var a = await d.AskAsync(new GetImageProfile(from, fromRevision), ct);
            if (a is not SoftwareProfile left) return DomainApi.Reply(a);
            var b = await d.AskAsync(new GetImageProfile(to, toRevision), ct);
            if (b is not SoftwareProfile right) return DomainApi.Reply(b);
            return Results.Json(ProfileDiff.Between($"{from} revision {left.Revision}", left, $"{to} revision {right.Revision}", right), DomainApi.Json);
        });
    }
}
