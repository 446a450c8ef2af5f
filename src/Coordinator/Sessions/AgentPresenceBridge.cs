using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using OgActors.Messages.Computers;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// Connects the computer registry to the job dispatcher: listens to <see cref="ComputerPresenceChanged"/> (DistributedPubSub
/// topic <see cref="ComputerTopics.Presence"/>), asks the registry for the online computer's agent and tells the dispatcher
/// <see cref="AgentAvailable"/> / <see cref="AgentGone"/>. At start it announces every computer already online.
/// Agents do not advertise job kinds yet, so each is announced able to run what this release runs (<paramref name="jobKinds"/>).
/// </summary>
public sealed class AgentPresenceBridge : ReceiveActor
{
    private sealed record Announce(ComputerStatus Status);

    private readonly ILoggingAdapter _log = Context.GetLogger();

    public AgentPresenceBridge(IActorRef registry, IActorRef dispatcher, IActorRef mediator, IReadOnlyList<string> jobKinds)
    {
        mediator.Tell(new Subscribe(ComputerTopics.Presence, Self));
        registry.Ask<ComputerList>(new ListComputers(OnlineOnly: true), TimeSpan.FromSeconds(10))
            .PipeTo(Self, failure: e => new Status.Failure(e));

        Receive<SubscribeAck>(_ => { });
        Receive<ComputerList>(list => { foreach (var c in list.Computers.Where(c => c.Online)) Self.Tell(new Announce(c)); });
        Receive<ComputerPresenceChanged>(change =>
        {
            if (!change.Online) { dispatcher.Tell(new AgentGone(change.Name)); return; }
            registry.Ask<object>(new GetComputer(change.Name), TimeSpan.FromSeconds(10))
                .PipeTo(Self, success: reply => reply is ComputerStatus s ? new Announce(s) : reply, failure: e => new Status.Failure(e));
        });
        Receive<Announce>(a =>
        {
            if (a.Status.Online) dispatcher.Tell(new AgentAvailable(a.Status.Inventory.Name, a.Status.Agent, jobKinds));
        });
        Receive<Status.Failure>(f => _log.Warning("Could not ask the computer registry for an agent: {0}", f.Cause.Message));
        Receive<object>(_ => { }); // the registry's refusals (a computer that vanished meanwhile)
    }

    public static Props Props(IActorRef registry, IActorRef dispatcher, IActorRef mediator, IReadOnlyList<string> jobKinds) =>
        Akka.Actor.Props.Create(() => new AgentPresenceBridge(registry, dispatcher, mediator, jobKinds));
}
