using Akka.Actor;

namespace OgActors.ClientNode.Jobs;

/// <summary>
/// Who may give this computer jobs (pure, no I/O): only coordinators. A client node is not a cluster member, so it knows
/// the coordinators the way its ClusterClient does: the receptionists it is in contact with (the initial contacts of
/// <c>og.cluster.seed-nodes</c>, then every coordinator the receptionists list; the receptionist runs on role
/// <c>coordinator</c> only), plus its own ActorSystem. A job message whose sender is anything else — another computer, a
/// foreign ActorSystem, or no sender at all — is refused. The sender's address is what Akka.Remote's envelope carries,
/// unauthenticated: a process holding the site's computer certificate can name a coordinator as the sender. So with TLS on
/// this is only the first check; the one that proves a coordinator gave the order is its signature
/// (<see cref="OgActors.Hosting.Tls.JobOrderVerifier"/>; ARCHITECTURE.md, threat model).
/// </summary>
public sealed class CoordinatorAuthority
{
    private readonly HashSet<Address> _coordinators = [];

    public IReadOnlyCollection<Address> Coordinators => _coordinators;

    /// <summary>The ClusterClient's contact points (its receptionists' paths) now: they replace what was known.</summary>
    public void Contacts(IEnumerable<ActorPath>? receptionists)
    {
        if (receptionists is null) return; // (a ContactPoints that lost its list to serialize-messages in tests)
        _coordinators.Clear();
        foreach (var path in receptionists) _coordinators.Add(path.Address);
    }

    /// <summary>The initial contacts (og.cluster.seed-nodes' receptionists), known before the ClusterClient says anything.</summary>
    public void Seed(IEnumerable<ActorPath> receptionists)
    {
        foreach (var path in receptionists) _coordinators.Add(path.Address);
    }

    public void Added(ActorPath? receptionist) { if (receptionist is not null) _coordinators.Add(receptionist.Address); }

    public void Removed(ActorPath? receptionist) { if (receptionist is not null) _coordinators.Remove(receptionist.Address); }

    /// <summary>Null when <paramref name="sender"/> may send this computer jobs, else the sentence why not.</summary>
    public string? Refusal(IActorRef? sender, ActorSystem self)
    {
        if (sender is null || sender.IsNobody() || sender.Equals(self.DeadLetters) || sender.Path.Name == "deadLetters")
            return "it has no sender, and jobs come only from coordinators";
        var address = sender.Path.Address;
        if (address.HasLocalScope || address.Equals(((ExtendedActorSystem)self).Provider.DefaultAddress)) return null;
        if (_coordinators.Contains(address)) return null;
        var known = _coordinators.Count == 0 ? "none yet" : string.Join(", ", _coordinators.Select(a => a.ToString()).Order(StringComparer.Ordinal));
        return $"its sender {address} is not a coordinator of this computer (coordinators: {known})";
    }
}
