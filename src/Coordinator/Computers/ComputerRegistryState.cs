using Akka.Actor;
using OgActors.Messages.Computers;

namespace OgActors.Coordinator.Computers;

/// <summary>
/// What the registry knows. <see cref="Known"/> (the inventories) is persisted; <see cref="Presence"/>
/// (online/offline, since, the agent) is live state rebuilt by registrations after a restart.
/// </summary>
public sealed class ComputerRegistryState
{
    /// <summary>Whether a computer's agent is reachable, since when, and why not when it is not.</summary>
    public sealed record Presence(bool Online, DateTimeOffset Since, string Reason, IActorRef Agent);

    private readonly Dictionary<string, ComputerInventory> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Presence> _presence = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, ComputerInventory> Known => _known;
    public IReadOnlyDictionary<string, Presence> Presences => _presence;

    // ---- persistent part -------------------------------------------------------------------------------------

    public void Apply(ComputerEnrolled e) => _known[e.Name] = e.Inventory;

    public void Restore(ComputerRegistrySnapshot s)
    {
        _known.Clear();
        foreach (var inventory in s.Computers) _known[inventory.Name] = inventory;
    }

    public ComputerRegistrySnapshot Snapshot() => new([.. _known.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)]);

    /// <summary>True when <paramref name="inventory"/> is new or differs from the journal's (then it must be persisted).</summary>
    public bool NeedsEnrolment(ComputerInventory inventory) =>
        !_known.TryGetValue(inventory.Name, out var known) || !SameInventory(known, inventory);

    private static bool SameInventory(ComputerInventory a, ComputerInventory b) =>
        a with { Partitions = [], Cache = a.Cache with { FreeBytes = 0 } } == b with { Partitions = [], Cache = b.Cache with { FreeBytes = 0 } }
        && a.Partitions.SequenceEqual(b.Partitions);

    // ---- live part -------------------------------------------------------------------------------------------

    /// <summary>After recovery every known computer is offline until its agent registers again.</summary>
    public void AllOffline(DateTimeOffset now, string reason)
    {
        foreach (var name in _known.Keys)
            _presence.TryAdd(name, new Presence(false, now, reason, ActorRefs.Nobody));
    }

    public Presence? PresenceOf(string name) => _presence.GetValueOrDefault(name);

    public void Online(string name, IActorRef agent, DateTimeOffset now) => _presence[name] = new Presence(true, now, "", agent);

    public void Offline(string name, DateTimeOffset now, string reason) =>
        _presence[name] = new Presence(false, now, reason, ActorRefs.Nobody);

    /// <summary>
    /// Whether an agent at <paramref name="agent"/> may register as computer <paramref name="name"/>: null when it may, else the
    /// sentence why not. The registry can verify only the agent's address, so a registration is bound to it:
    /// <list type="bullet">
    /// <item>an agent of the coordinator's own ActorSystem (tests, one process) is trusted;</item>
    /// <item>when the classroom records the computer's IP (<paramref name="recordedIp"/>) the agent must be at that IP;</item>
    /// <item>otherwise (no record; or a coordinator on loopback, the one-host lab, where every computer is at 127.0.0.1 whatever its
    /// classroom says) a computer online at one host cannot be taken over from another: it must go offline first.</item>
    /// </list>
    /// </summary>
    public string? RegistrationRefusal(string name, Akka.Actor.Address agent, string? recordedIp, bool coordinatorOnLoopback)
    {
        if (agent.HasLocalScope || agent.Host is null) return null;
        var host = agent.Host;
        if (!string.IsNullOrWhiteSpace(recordedIp) && !coordinatorOnLoopback)
            return SameHost(host, recordedIp)
                ? null
                : $"Computer {name} is recorded at {recordedIp} in its classroom, but this registration comes from {host}.";
        if (PresenceOf(name) is { Online: true } current && current.Agent.Path.Address is { HasGlobalScope: true, Host: { } bound }
            && !SameHost(bound, host))
            return $"Computer {name} is online at {bound}; a registration under its name from {host} is refused.";
        return null;
    }

    private static bool SameHost(string a, string b) =>
        System.Net.IPAddress.TryParse(a, out var x) && System.Net.IPAddress.TryParse(b, out var y)
            ? x.Equals(y)
            : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static bool IsLoopback(string? host) =>
        host is not null && (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                             || System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    /// <summary>The online computer whose agent is <paramref name="agent"/>, if any.</summary>
    public string? NameOfAgent(IActorRef agent) =>
        _presence.FirstOrDefault(p => p.Value.Online && p.Value.Agent.Equals(agent)).Key;

    public ComputerStatus? Status(string name)
    {
        if (!_known.TryGetValue(name, out var inventory)) return null;
        var presence = _presence.GetValueOrDefault(name) ?? new Presence(false, DateTimeOffset.MinValue, "never registered", ActorRefs.Nobody);
        return new ComputerStatus(inventory, presence.Online, presence.Since, presence.Reason, presence.Agent);
    }

    public IReadOnlyList<ComputerStatus> All() =>
        [.. _known.Keys.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).Select(n => Status(n)!)];
}
