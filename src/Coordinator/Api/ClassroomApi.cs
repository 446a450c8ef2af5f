using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Domain;
using OgActors.Messages.Classrooms;

namespace OgActors.Coordinator.Api;

public sealed record DefineClassroomBody(string Name, string Network);
public sealed record AddComputerBody(string Name, string Ip, string Mac, string? Repository, long? CacheSizeBytes);
public sealed record MulticastBody(int? Port, string? GroupAddress, DuplexMode? Duplex, int? MaxMbps, int? WaitForComputers, int? MaxWaitSeconds);
public sealed record P2PBody(P2PMode? Mode, int? SeedSeconds);

/// <summary>
/// The classroom palette: <c>GET/POST /classrooms</c>, <c>GET /classrooms/{name}</c>,
/// <c>POST /classrooms/{name}/computers</c>, <c>POST /classrooms/{name}/computers/{pc}/remove</c>,
/// <c>POST /classrooms/{name}/multicast</c>, <c>POST /classrooms/{name}/p2p</c> (GET and POST only, like ogServer).
/// </summary>
public static class ClassroomApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/classrooms", async (CoordinatorDomain d, CancellationToken ct) =>
            Results.Json(await d.ListClassroomsAsync(ct), DomainApi.Json));

        api.MapGet("/classrooms/{name}", async (CoordinatorDomain d, string name, CancellationToken ct) =>
            DomainApi.Reply(await d.AskAsync(new GetClassroom(name), ct)));

        api.MapPost("/classrooms", async (CoordinatorDomain d, HttpContext http) =>
        {
            var (body, error) = await DomainApi.BodyAsync<DefineClassroomBody>(http);
            return error ?? DomainApi.Reply(await d.AskAsync(new DefineClassroom(body!.Name ?? "", body.Network ?? "", DomainApi.Identity(http)),
                http.RequestAborted));
        });

        api.MapPost("/classrooms/{name}/computers", async (CoordinatorDomain d, string name, HttpContext http) =>
        {
            var (body, error) = await DomainApi.BodyAsync<AddComputerBody>(http);
            return error ?? DomainApi.Reply(await d.AddComputerAsync(new AddComputer(name, body!.Name ?? "", body.Ip ?? "", body.Mac ?? "",
                body.Repository ?? "", body.CacheSizeBytes ?? 0, DomainApi.Identity(http)), http.RequestAborted));
        });

        api.MapPost("/classrooms/{name}/computers/{computer}/remove", async (CoordinatorDomain d, string name, string computer, HttpContext http) =>
            DomainApi.Reply(await d.RemoveComputerAsync(new RemoveComputer(name, computer, DomainApi.Identity(http)), http.RequestAborted)));

        api.MapPost("/classrooms/{name}/multicast", async (CoordinatorDomain d, string name, HttpContext http) =>
        {
            var (b, error) = await DomainApi.BodyAsync<MulticastBody>(http);
            return error ?? DomainApi.Reply(await d.AskAsync(new SetMulticastDefaults(name, b!.Port, b.GroupAddress, b.Duplex, b.MaxMbps,
                b.WaitForComputers, b.MaxWaitSeconds, DomainApi.Identity(http)), http.RequestAborted));
        });

        api.MapPost("/classrooms/{name}/p2p", async (CoordinatorDomain d, string name, HttpContext http) =>
        {
            var (b, error) = await DomainApi.BodyAsync<P2PBody>(http);
            return error ?? DomainApi.Reply(await d.AskAsync(new SetP2PDefaults(name, b!.Mode, b.SeedSeconds, DomainApi.Identity(http)),
                http.RequestAborted));
        });
    }
}
