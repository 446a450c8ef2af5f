using Akka.Actor;
using Akka.Remote;

namespace OgActors.ClientNode.Hosting;

/// <summary>
/// Completes when this client node can no longer talk to a node it was quarantined with. A computer frozen (or cut off)
/// longer than the failure detectors allow is marked offline; Akka.Remote then quarantines the association on both sides
/// (the coordinator's watch of the agent, the agent's watch of the registry), and never lets those two incarnations talk
/// again. The node must start a new incarnation (<c>og-client</c> does, in-process), which registers afresh and is sent
/// its job again. When the other node restarted instead (a coordinator restart: a new incarnation, a new UID), nothing is
/// wrong: after a quarantine the watch asks the other node's <c>/user</c> guardian who it is every 2 s, and only when no
/// answer comes for <see cref="Patience"/> (the same old incarnation, refused) does it complete. Being told we are
/// quarantined (<see cref="ThisActorSystemQuarantinedEvent"/>) completes it at once.
/// </summary>
public sealed class QuarantineWatch
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource<string> _quarantined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private QuarantineWatch(ActorSystem system)
    {
        var listener = system.ActorOf(Props.Create(() => new Listener(this)), "quarantine-watch");
        system.EventStream.Subscribe(listener, typeof(ThisActorSystemQuarantinedEvent));
        system.EventStream.Subscribe(listener, typeof(QuarantinedEvent));
    }

    public static QuarantineWatch Start(ActorSystem system) => new(system);

    /// <summary>The sentence saying which node this one can no longer talk to, once that is so.</summary>
    public Task<string> Quarantined => _quarantined.Task;

    private sealed class Listener : ReceiveActor, IWithTimers
    {
        private sealed record Probe(Address Address, DateTime Since) : INoSerializationVerificationNeeded;

        private readonly HashSet<Address> _probing = [];

        public ITimerScheduler Timers { get; set; } = null!;

        public Listener(QuarantineWatch watch)
        {
            Receive<ThisActorSystemQuarantinedEvent>(e =>
                watch._quarantined.TrySetResult($"{e.RemoteAddress} quarantined this node (it was unreachable too long, e.g. frozen)"));
            Receive<QuarantinedEvent>(e =>
            {
                if (!_probing.Add(e.Address)) return;
                Self.Tell(new Probe(e.Address, DateTime.UtcNow));
            });
            Receive<Probe>(p =>
            {
                if (!_probing.Contains(p.Address)) return;
                if (DateTime.UtcNow - p.Since > Patience)
                {
                    watch._quarantined.TrySetResult($"this node and {p.Address} quarantined each other (it was unreachable too long, e.g. frozen)");
                    return;
                }
                Context.ActorSelection(new RootActorPath(p.Address) / "user").Tell(new Identify(p.Address.ToString()), Self);
                Timers.StartSingleTimer(p.Address, p, TimeSpan.FromSeconds(2));
            });
            // The other node answers: a new incarnation of it (it restarted), which this one can talk to.
            Receive<ActorIdentity>(id =>
            {
                var address = _probing.FirstOrDefault(a => a.ToString() == id.MessageId as string);
                if (address is not null && id.Subject is not null && _probing.Remove(address)) Timers.Cancel(address);
            });
        }
    }
}
