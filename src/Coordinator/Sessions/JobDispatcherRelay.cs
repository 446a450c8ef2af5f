using Akka.Actor;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// One per coordinator node: forwards the <see cref="AgentAvailable"/> / <see cref="AgentGone"/> published on this node's
/// EventStream to the <see cref="JobDispatcher"/>, a cluster singleton that may run on another coordinator. (The dispatcher
/// hears the computers' own announcements on DistributedPubSub; the EventStream is for agents living in the coordinator's
/// process, e.g. the session benchmark's simulated computers and the tests'.) The singleton proxy buffers what arrives while
/// the dispatcher is moving to another coordinator.
/// </summary>
public sealed class JobDispatcherRelay : ReceiveActor
{
    public JobDispatcherRelay(IActorRef dispatcher)
    {
        Receive<AgentAvailable>(m => dispatcher.Tell(m));
        Receive<AgentGone>(m => dispatcher.Tell(m));
    }

    public static Props Props(IActorRef dispatcher) => Akka.Actor.Props.Create(() => new JobDispatcherRelay(dispatcher));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(AgentAvailable));
        Context.System.EventStream.Subscribe(Self, typeof(AgentGone));
    }
}
