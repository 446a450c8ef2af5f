using Akka.Actor;
using Akka.Cluster;
using ClusterState = Akka.Cluster.ClusterEvent.CurrentClusterState;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Hosting;

namespace OgActors.Coordinator.Api;

/// <summary>One member as the operator sees it.</summary>
public sealed record ClusterMemberView(string Address, IReadOnlyList<string> Roles, string Status, string Reachability, bool Leader, bool Self);

/// <summary>The cluster as this coordinator sees it.</summary>
public sealed record ClusterView(string Self, string? Leader, IReadOnlyList<ClusterMemberView> Members);

/// <summary>Body of <c>POST /api/cluster/leave</c> and <c>/down</c>.</summary>
public sealed record MemberRequest(string? Address, bool Force = false);

/// <summary>The cluster palette: <c>GET /api/cluster</c>, <c>POST /api/cluster/leave</c>, <c>POST /api/cluster/down</c>.</summary>
public static class ClusterApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/cluster", ([FromServices] ActorSystem system) => Results.Json(View(Akka.Cluster.Cluster.Get(system))));
        api.MapPost("/cluster/leave", ([FromServices] ActorSystem system, [FromBody] MemberRequest? body) =>
            Act(Akka.Cluster.Cluster.Get(system), body, ClusterOperationGuard.Leave, (cluster, address) => cluster.Leave(address), "is leaving the cluster"));
        api.MapPost("/cluster/down", ([FromServices] ActorSystem system, [FromBody] MemberRequest? body) =>
            Act(Akka.Cluster.Cluster.Get(system), body, ClusterOperationGuard.Down, (cluster, address) => cluster.Down(address), "was marked down"));
    }

    public static ClusterView View(Akka.Cluster.Cluster cluster)
    {
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members
            .Select(m => new ClusterMemberView(m.Address.ToString(), [.. m.Roles.OrderBy(r => r)], m.Status.ToString(),
                unreachable.Contains(m.Address) ? "unreachable" : "reachable",
                m.Address.Equals(state.Leader), m.Address.Equals(cluster.SelfAddress)))
            .OrderBy(m => m.Address, StringComparer.Ordinal)
            .ToList();
        return new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members);
    }

    private static IResult Act(Akka.Cluster.Cluster cluster, MemberRequest? body, Func<ClusterState, Member, string?> refusal,
        Action<Akka.Cluster.Cluster, Address> act, string done)
    {
        if (string.IsNullOrWhiteSpace(body?.Address))
            return ApiError.Result(StatusCodes.Status400BadRequest, "Name the member by its address, e.g. akka.tcp://ogactors@10.0.0.5:4053 or 10.0.0.5:4053.");
        var member = Find(cluster, body.Address.Trim());
        if (member is null)
            return ApiError.Result(StatusCodes.Status404NotFound, $"No cluster member has the address '{body.Address}'; see 'ogctl cluster show'.");
        if (!body.Force && refusal(cluster.State, member) is { } why)
            return ApiError.Result(StatusCodes.Status409Conflict, why);
        act(cluster, member.Address);
        return Results.Json(new { address = member.Address.ToString(), message = $"{member.Address} {done}." }, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>A member by its full address, or by host:port.</summary>
    private static Member? Find(Akka.Cluster.Cluster cluster, string address) =>
        cluster.State.Members.FirstOrDefault(m =>
            string.Equals(m.Address.ToString(), address, StringComparison.OrdinalIgnoreCase)
            || string.Equals($"{m.Address.Host}:{m.Address.Port}", address, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Plugs the cluster palette into the coordinator.</summary>
public sealed class ClusterApiModule : ICoordinatorModule
{
    public void MapEndpoints(IEndpointRouteBuilder endpoints) => ClusterApi.Map(endpoints);
}
