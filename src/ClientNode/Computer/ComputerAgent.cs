using OgActors.ClientNode.Jobs;
using OgActors.Messages.Sessions;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Event;
using OgActors.Messages.Common;
using OgActors.Messages.Computers;

namespace OgActors.ClientNode.Computer;

/// <summary>
/// A computer's agent, at the well-known path <c>/user/computer-agent</c>. It registers the computer with the
/// coordinators' registry through ClusterClient, retrying until acknowledged, then watches the registry and registers
/// again when it loses sight of it (coordinator restart or failover). On a clean shutdown it unregisters, so the
/// computer goes offline at once. Later protocols (jobs) are received here too.
/// </summary>
public sealed class ComputerAgent : ReceiveActor, IWithTimers
{
    /// <summary>Asks the agent to unregister before the node stops; answered with <see cref="ComputerUnregistered"/>.</summary>
    public sealed record LeaveRegistry : INoSerializationVerificationNeeded;

    private sealed record RetryRegistration : INoSerializationVerificationNeeded;

    private readonly IActorRef _clusterClient;
    private readonly Func<ComputerInventory> _inventory;
    private readonly TimeSpan _retry;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _registry = ActorRefs.Nobody;
    private int _attempts;

    public ComputerAgent(IActorRef clusterClient, Func<ComputerInventory> inventory, TimeSpan retry)
    {
        _clusterClient = clusterClient;
        _inventory = inventory;
        _retry = retry;
        Registering();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef clusterClient, Func<ComputerInventory> inventory, TimeSpan retry) =>
        Akka.Actor.Props.Create(() => new ComputerAgent(clusterClient, inventory, retry));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(JobRunnerActor.JobEnded));
        StartRegistering();
    }

    // ---- not registered: announce the computer until the registry acknowledges -----------------------------------

    private void Registering()
    {
        Receive<RetryRegistration>(_ => SendRegistration());
        Receive<ComputerRegistered>(registered =>
        {
            _registry = Sender;
            Context.Watch(_registry);
            Timers.Cancel(nameof(RetryRegistration));
            _log.Info("Computer {0} registered with {1} after {2} attempt(s)", registered.Name, _registry.Path, _attempts);
            Become(Registered);
        });
        Receive<Refused>(refused => _log.Error("The registry refused this computer: {0}", refused.Reason));
        Receive<JobRunnerActor.JobEnded>(_ => { }); // the next registration attempt carries the new inventory anyway
        // Job messages (RunJob, JobFinishedAck) reach the computer through its agent; the job runner next to it does the work.
        Receive<IJobMessage>(job => Context.ActorSelection(JobRunnerSetup.ActorPath).Tell(job, Sender));

        Receive<LeaveRegistry>(_ =>
        {
            Timers.Cancel(nameof(RetryRegistration));
            Sender.Tell(new ComputerUnregistered(""));
        });
    }

    private void StartRegistering()
    {
        _attempts = 0;
        SendRegistration();
        Timers.StartPeriodicTimer(nameof(RetryRegistration), new RetryRegistration(), _retry);
    }

    private void SendRegistration()
    {
        _attempts++;
        _clusterClient.Tell(new ClusterClient.Send(ComputerRegistryPaths.Service, new RegisterComputer(_inventory(), Self), localAffinity: false));
    }

    // ---- registered: watch the registry ------------------------------------------------------------------------

    private void Registered()
    {
        Receive<Terminated>(t => t.ActorRef.Equals(_registry), _ =>
        {
            _log.Warning("Lost sight of the computer registry {0}; registering again", _registry.Path);
            _registry = ActorRefs.Nobody;
            Become(Registering);
            StartRegistering();
        });
        Receive<ComputerRegistered>(_ => { }); // a late answer to a retry, or to an inventory refresh
        // After every job the partitions and the cache have changed: send the inventory again (the registry keeps it).
        Receive<JobRunnerActor.JobEnded>(_ => SendRegistration());
        // Job messages (RunJob, JobFinishedAck) reach the computer through its agent; the job runner next to it does the work.
        Receive<IJobMessage>(job => Context.ActorSelection(JobRunnerSetup.ActorPath).Tell(job, Sender));

        Receive<LeaveRegistry>(_ =>
        {
            var inventory = _inventory();
            _registry.Ask<ComputerUnregistered>(new UnregisterComputer(inventory.Name, Self), TimeSpan.FromSeconds(3)).PipeTo(Sender);
            Context.Unwatch(_registry);
            Become(Left);
        });
    }

    // ---- left: the node is stopping ----------------------------------------------------------------------------

    private void Left()
    {
        Receive<LeaveRegistry>(_ => Sender.Tell(new ComputerUnregistered("")));
        ReceiveAny(_ => { });
    }
}
