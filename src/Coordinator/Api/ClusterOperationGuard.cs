using Akka.Cluster;
using ClusterState = Akka.Cluster.ClusterEvent.CurrentClusterState;

namespace OgActors.Coordinator.Api;

/// <summary>
/// The cluster operations an operator could wedge the cluster with, refused unless forced: downing a member that is
/// reachable (it is alive: ask it to leave instead), and removing the last coordinator (nothing would be left to hold
/// the journal, the singletons and the API). Pure: decides from the cluster state, returns the refusal's sentence or null.
/// </summary>
public static class ClusterOperationGuard
{
    public const string CoordinatorRole = "coordinator";

    public static string? Down(ClusterState state, Member member)
    {
        if (IsLastCoordinator(state, member))
            return $"{member.Address} is the last coordinator; downing it leaves the cluster with no coordinator (use --force to do it anyway).";
        if (!state.Unreachable.Any(m => m.Address.Equals(member.Address)))
            return $"{member.Address} is reachable; ask it to leave ('ogctl cluster leave') instead, or use --force to down it anyway.";
        return null;
    }

    public static string? Leave(ClusterState state, Member member) =>
        IsLastCoordinator(state, member)
            ? $"{member.Address} is the last coordinator; if it leaves the cluster has no coordinator (use --force to do it anyway)."
            : null;

    private static bool IsLastCoordinator(ClusterState state, Member member) =>
        member.HasRole(CoordinatorRole)
        && !state.Members.Any(m => !m.Address.Equals(member.Address) && m.HasRole(CoordinatorRole)
                                   && m.Status is MemberStatus.Up or MemberStatus.Joining or MemberStatus.WeaklyUp);
}
