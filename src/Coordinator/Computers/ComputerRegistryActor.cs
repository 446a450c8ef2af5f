using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using OgActors.Messages.Common;
using OgActors.Messages.Computers;

namespace OgActors.Coordinator.Computers;

/// <summary>
/// The computer registry: a cluster singleton on the coordinators. Computers' agents register through ClusterClient;
/// the registry watches each agent over Akka.Remote (DeathWatch), so a computer that vanishes goes offline within the
/// watch failure detector's pause and one that shuts down cleanly goes offline at once. Inventories are journaled;
/// presence is live. Presence changes are published on <see cref="ComputerTopics.Presence"/>.
/// </summary>
public sealed class ComputerRegistryActor : ReceivePersistentActor
{
    public const string Name = "computer-registry";
    private const int SnapshotEvery = 100;

    /// <summary>A registration whose classroom record was looked up (<paramref name="RecordedIp"/> null = none known).</summary>
    private sealed record Checked(RegisterComputer Registration, IActorRef ReplyTo, string? RecordedIp) : INoSerializationVerificationNeeded;

    private static readonly TimeSpan RefusalAuditEvery = TimeSpan.FromMinutes(10);

    private readonly ComputerRegistryState _state = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Func<DateTimeOffset> _clock;
    private readonly Func<string, Task<string?>>? _recordedIp;
    private readonly Dictionary<(string, string), DateTimeOffset> _refusalsAudited = new();

    /// <param name="recordedIp">Looks up the IP a classroom records for a computer (null: no classrooms to ask).</param>
    public ComputerRegistryActor(Func<DateTimeOffset>? clock = null, Func<string, Task<string?>>? recordedIp = null)
    {
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        _recordedIp = recordedIp;

        Recover<ComputerEnrolled>(_state.Apply);
        Recover<ComputerRegistrationRefused>(_ => { }); // audit only
        Recover<SnapshotOffer>(offer => { if (offer.Snapshot is ComputerRegistrySnapshot s) _state.Restore(s); });
        Recover<RecoveryCompleted>(_ =>
        {
            _state.AllOffline(_clock(), "not registered since the coordinator started");
            _log.Info("Computer registry recovered {0} known computer(s)", _state.Known.Count);
        });

        Command<RegisterComputer>(Register);
        Command<Checked>(Admit);
        Command<UnregisterComputer>(Unregister);
        Command<Terminated>(AgentTerminated);
        Command<ListComputers>(q => Sender.Tell(new ComputerList(q.OnlineOnly ? [.. _state.All().Where(c => c.Online)] : _state.All())));
        Command<GetComputer>(q => Sender.Tell((object?)_state.Status(q.Name) ?? new Refused($"No computer is named '{q.Name}'.")));
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning("Computer registry snapshot failed: {0}", f.Cause.Message));
    }

    public override string PersistenceId => Name;

    public static Props Props(Func<string, Task<string?>>? recordedIp = null) =>
        Akka.Actor.Props.Create(() => new ComputerRegistryActor(null, recordedIp));

    private void Register(RegisterComputer r)
    {
        var inventory = r.Inventory;
        if (string.IsNullOrWhiteSpace(inventory.Name) || r.Agent.IsNobody())
        {
            r.Agent.Tell(new Refused("A computer must register with a name and its agent."));
            return;
        }
        var replyTo = Sender;
        var bound = _state.PresenceOf(inventory.Name) is { Online: true } current && current.Agent.Equals(r.Agent); // checked when it came online
        if (_recordedIp is null || bound || r.Agent.Path.Address.HasLocalScope) { Admit(new Checked(r, replyTo, null)); return; }
        _recordedIp(inventory.Name).WaitAsync(TimeSpan.FromSeconds(5)).PipeTo(Self, success: ip => new Checked(r, replyTo, ip), failure: _ => new Checked(r, replyTo, null));
    }

    /// <summary>
    /// A registration is bound to the address its agent is at (<see cref="ComputerRegistryState.RegistrationRefusal"/>): one
    /// from elsewhere is refused to its sender (not to the agent it names, which may be the real computer's) and audited.
    /// </summary>
    private void Admit(Checked c)
    {
        var (r, replyTo, recordedIp) = c;
        var inventory = r.Inventory;
        var from = r.Agent.Path.Address;
        var onLoopback = ComputerRegistryState.IsLoopback(Akka.Cluster.Cluster.Get(Context.System).SelfAddress.Host);
        if (_state.RegistrationRefusal(inventory.Name, from, recordedIp, onLoopback) is { } why)
        {
            _log.Warning("Refused a registration as computer {0} from {1}: {2}", inventory.Name, from, why);
            (replyTo.IsNobody() ? r.Agent : replyTo).Tell(new Refused(why));
            var key = (inventory.Name.ToLowerInvariant(), from.ToString());
            var now = _clock();
            if (_refusalsAudited.TryGetValue(key, out var last) && now - last < RefusalAuditEvery) return; // a retrying agent: audited once per 10 min
            _refusalsAudited[key] = now;
            Persist(new ComputerRegistrationRefused(inventory.Name, from.ToString(), why, now), _ => { });
            return;
        }
        if (_state.NeedsEnrolment(inventory))
            Persist(new ComputerEnrolled(inventory, _clock()), e =>
            {
                _state.Apply(e);
                if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_state.Snapshot());
                GoOnline(inventory.Name, r.Agent);
            });
        else
            GoOnline(inventory.Name, r.Agent);
    }

    private void GoOnline(string name, IActorRef agent)
    {
        var current = _state.PresenceOf(name);
        if (current is { Online: true } && current.Agent.Equals(agent))
        {
            agent.Tell(new ComputerRegistered(name, current.Since)); // a retry of a registration already taken
            return;
        }
        if (current is { Online: true }) Context.Unwatch(current.Agent); // the computer came back before its old agent was noticed gone
        Context.Watch(agent);
        var now = _clock();
        _state.Online(name, agent, now);
        _log.Info("Computer {0} is online ({1})", name, agent.Path);
        Publish(new ComputerPresenceChanged(name, true, now, ""));
        agent.Tell(new ComputerRegistered(name, now));
    }

    private void Unregister(UnregisterComputer u)
    {
        var current = _state.PresenceOf(u.Name);
        if (current is { Online: true } && current.Agent.Equals(u.Agent))
        {
            Context.Unwatch(u.Agent);
            GoOffline(u.Name, "shut down");
        }
        Sender.Tell(new ComputerUnregistered(u.Name));
    }

    private void AgentTerminated(Terminated t)
    {
        var name = _state.NameOfAgent(t.ActorRef);
        if (name is not null) GoOffline(name, t.AddressTerminated ? "unreachable" : "agent stopped");
    }

    private void GoOffline(string name, string reason)
    {
        var now = _clock();
        _state.Offline(name, now, reason);
        _log.Info("Computer {0} is offline: {1}", name, reason);
        Publish(new ComputerPresenceChanged(name, false, now, reason));
    }

    private static void Publish(ComputerPresenceChanged change) =>
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(ComputerTopics.Presence, change));
}
