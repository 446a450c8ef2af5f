using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Pattern;
using OgActors.Coordinator.Hosting;
using OgActors.Hosting.Configuration;

namespace OgActors.Coordinator.Operations;

/// <summary>ActorRegistry key of the operations ledger (its singleton proxy on this node).</summary>
public sealed class OperationLedger;

/// <summary>
/// The operations ledger as a cluster singleton on the coordinators (one writer of persistence id <c>operations</c>),
/// behind a backoff supervisor so a journal failure (which stops a persistent actor) restarts it instead of leaving the
/// singleton dead. The cluster and repository API palettes record every operation through <see cref="OperationRecorder"/>.
/// </summary>
public sealed class OperationLedgerModule : ICoordinatorModule
{
    public void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services) =>
        akka.WithSingleton<OperationLedger>(OperationLedgerActor.Name, SupervisedProps(),
            new ClusterSingletonOptions { Role = NodeRoles.Coordinator }, createProxyToo: true);

    public static Props SupervisedProps() => BackoffSupervisor.Props(Backoff.OnStop(OperationLedgerActor.Props(), "ledger",
        TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), 0.2));
}
