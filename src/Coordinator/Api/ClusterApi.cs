using Akka.Actor;
using Akka.Cluster;
using ClusterState = Akka.Cluster.ClusterEvent.CurrentClusterState;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Akka.Hosting;
using OgActors.Coordinator.Hosting;
using OgActors.Coordinator.Operations;
using OgActors.Messages.Audit;

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
        api.MapPost("/cluster/leave", ([FromServices] ActorSystem system, [FromServices] ActorRegistry registry, HttpContext http,
                [FromBody] MemberRequest? body) =>
            Act(Akka.Cluster.Cluster.Get(system), body, ClusterOperationGuard.Leave, (cluster, address) => cluster.Leave(address), "is leaving the cluster",
                OperationKind.ClusterLeave, OperationRecorder.From(registry), DomainApi.Identity(http)));
        api.MapPost("/cluster/down", ([FromServices] ActorSystem system, [FromServices] ActorRegistry registry, HttpContext http,
                [FromBody] MemberRequest? body) =>
            Act(Akka.Cluster.Cluster.Get(system), body, ClusterOperationGuard.Down, (cluster, address) => cluster.Down(address), "was marked down",
                OperationKind.ClusterDown, OperationRecorder.From(registry), DomainApi.Identity(http)));
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

    /// <summary>
    /// Decides and does a cluster operation; every outcome (refused, done) is recorded in the operations ledger with who
    /// asked. A done operation is recorded before it is done: when it cannot be recorded it is not done (503).
    /// </summary>
    private static async Task<IResult> Act(Akka.Cluster.Cluster cluster, MemberRequest? body, Func<ClusterState, Member, string?> refusal,
        Action<Akka.Cluster.Cluster, Address> act, string done, OperationKind kind, OperationRecorder ledger, string by)
    {
        var id = OperationRecorder.NewId();
        var given = body?.Address?.Trim() ?? "";
        async Task<IResult> Refuse(int status, string target, string details, string why)
        {
            // nothing was done: the refusal does not keep the operator waiting long for the audit
            await ledger.EndAsync(new RecordOperation(id, kind, target, details, OperationOutcome.Refused, why, by), RefusalRecordTimeout);
            return ApiError.Result(status, why);
        }
        var forced = body?.Force == true ? ", forced" : "";
        if (given.Length == 0)
            return await Refuse(StatusCodes.Status400BadRequest, "(no address)", $"no member named{forced}",
                "Name the member by its address, e.g. akka.tcp://ogactors@10.0.0.5:4053 or 10.0.0.5:4053.");
        var member = Find(cluster, given);
        if (member is null)
            return await Refuse(StatusCodes.Status404NotFound, given, $"{given}{forced}",
                $"No cluster member has the address '{given}'; see 'ogctl cluster show'.");
        var state = cluster.State;
        var target = member.Address.ToString();
        var details = $"{target} ({string.Join(", ", member.Roles.OrderBy(r => r))}{forced})";
        if (!body!.Force && refusal(state, member) is { } why)
            return await Refuse(StatusCodes.Status409Conflict, target, details, why);
        var sentence = $"{member.Address} {done}.";
        var step = new RecordOperation(id, kind, target, details, OperationOutcome.Done, sentence, by);
        // Downing an unreachable member must not wait long for the audit: the ledger singleton may live on that very member,
        // and downing it is what moves the singleton here (and the split-brain resolver does not wait). It is done, and
        // recorded as soon as the ledger answers again.
        var downingUnreachable = kind == OperationKind.ClusterDown && state.Unreachable.Any(m => m.Address.Equals(member.Address));
        if (await ledger.EndAsync(step, downingUnreachable ? UnreachableRecordTimeout : null) is { } unrecorded)
        {
            if (!downingUnreachable)
                return ApiError.Result(StatusCodes.Status503ServiceUnavailable,
                    $"The cluster was not changed: the audit could not record the {OperationLedgerState.Describe(kind)} ({unrecorded}).");
            act(cluster, member.Address);
            _ = ledger.RecordEventuallyAsync(step with { Sentence = sentence + " Recorded late: the audit was unreachable when it was done." },
                TimeSpan.FromMinutes(5));
            return Results.Json(new { address = target, message = $"{sentence} The audit records it once it is reachable again." },
                statusCode: StatusCodes.Status202Accepted);
        }
        act(cluster, member.Address);
        return Results.Json(new { address = target, message = sentence }, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>How long a refusal waits for the audit to record it.</summary>
    public static readonly TimeSpan RefusalRecordTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long downing an unreachable member waits for the audit before it is done anyway (and recorded late).</summary>
    public static readonly TimeSpan UnreachableRecordTimeout = TimeSpan.FromSeconds(2);

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
