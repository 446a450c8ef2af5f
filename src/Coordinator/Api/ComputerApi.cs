using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Domain;
using OgActors.Messages.Common;
using OgActors.Messages.Computers;

namespace OgActors.Coordinator.Api;

public sealed record PartitionView(int Number, string Device, long SizeBytes, string Filesystem);

public sealed record CacheView(string Directory, long CapacityBytes, long FreeBytes);

/// <summary>One computer as the operator sees it.</summary>
public sealed record ComputerView(
    string Name, string Ip, string Mac, bool Online, DateTimeOffset Since, string OfflineReason,
    IReadOnlyList<PartitionView> Partitions, CacheView Cache, string? Agent, IReadOnlyList<string>? Warnings = null)
{
    public static ComputerView From(ComputerStatus s, IReadOnlyList<string>? warnings = null) => new(
        s.Inventory.Name, s.Inventory.Ip, s.Inventory.Mac, s.Online, s.Since, s.OfflineReason,
        [.. s.Inventory.Partitions.Select(p => new PartitionView(p.Number, p.Device, p.SizeBytes, p.Filesystem))],
        new CacheView(s.Inventory.Cache.Directory, s.Inventory.Cache.CapacityBytes, s.Inventory.Cache.FreeBytes),
        s.Online ? s.Agent.Path.ToString() : null, warnings);
}

/// <summary>The computer palette: <c>GET /api/computers</c>, <c>GET /api/computers/{name}</c>.</summary>
public static class ComputerApi
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/computers", async ([FromServices] IRequiredActor<ComputerRegistry> registry, CancellationToken ct) =>
        {
            var list = await registry.ActorRef.Ask<ComputerList>(new ListComputers(), AskTimeout, ct);
            return Results.Json(list.Computers.Select(c => ComputerView.From(c)).ToList());
        });
        api.MapGet("/computers/{name}", async ([FromServices] IRequiredActor<ComputerRegistry> registry, CoordinatorDomain d, string name, CancellationToken ct) =>
            await registry.ActorRef.Ask<object>(new GetComputer(name), AskTimeout, ct) switch
            {
                ComputerStatus status => Results.Json(ComputerView.From(status, await d.FindComputerAsync(name, ct) is { } found
                    ? InventoryMismatch.Warnings(found.Room.Name, found.Computer, status.Inventory) : null)),
                Refused refused => ApiError.Result(StatusCodes.Status404NotFound, refused.Reason),
                var other => ApiError.Result(StatusCodes.Status500InternalServerError, $"Unexpected answer {other.GetType().Name}."),
            });
    }
}
