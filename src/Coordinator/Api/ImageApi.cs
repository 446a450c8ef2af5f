using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Domain;
using OgActors.Messages.Images;

namespace OgActors.Coordinator.Api;

public sealed record DefineImageBody(
    string? Canonical, string? DisplayName, string? SoftwareProfile, int? Partition, string? PartitionType, string? Repository, string? Comments);

/// <summary>
/// The image object palette: <c>GET/POST /images</c>, <c>GET /images/{canonical}</c>, <c>POST /images/{canonical}/delete</c>.
/// A definition on a repository that has never announced itself is refused (400, one sentence), nothing persisted.
/// </summary>
public static class ImageApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/images", async (CoordinatorDomain d, CancellationToken ct) => Results.Json(await d.ListImagesAsync(ct), DomainApi.Json));

        api.MapGet("/images/{canonical}", async (CoordinatorDomain d, string canonical, CancellationToken ct) =>
            DomainApi.Reply(await d.AskAsync(new GetImage(canonical), ct)));

        api.MapPost("/images", async (CoordinatorDomain d, HttpContext http) =>
        {
            var (b, error) = await DomainApi.BodyAsync<DefineImageBody>(http);
            if (error is not null) return error;
            if (Images.ImageRules.CheckCanonical(b!.Canonical) is { } bad) return DomainApi.Error(400, bad);
            return DomainApi.Reply(await d.DefineImageAsync(new DefineImage(b.Canonical!, b.DisplayName ?? "", b.SoftwareProfile ?? "", b.Partition ?? 0,
                b.PartitionType ?? "", b.Repository ?? "", b.Comments ?? "", DomainApi.Identity(http)), http.RequestAborted));
        });

        api.MapPost("/images/{canonical}/delete", async (CoordinatorDomain d, string canonical, HttpContext http) =>
            DomainApi.Reply(await d.AskAsync(new DeleteImage(canonical, DomainApi.Identity(http)), http.RequestAborted)));
    }
}
