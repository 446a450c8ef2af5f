using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Akka.Pattern;
using Akka.Persistence.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Coordinator.Audit;
using OgActors.Coordinator.Classrooms;
using OgActors.Coordinator.Images;
using OgActors.Coordinator.Persistence;
using OgActors.Coordinator.ReadSide;
using OgActors.Coordinator.Sessions;
using OgActors.Messages.Audit;

namespace OgActors.Coordinator.Domain;

/// <summary>
/// Wires the coordinator's domain into a host: the classroom, image and session shard regions on role
/// <c>coordinator</c> (sessions remembered), the job dispatcher (a cluster singleton, with a relay of this node's EventStream
/// to it), the repository file linker, and the audit tagger.
/// </summary>
public static class CoordinatorDomainSetup
{
    public const string Role = "coordinator";

    /// <summary>Registers the shard regions and actors. Call after persistence and clustering are configured.</summary>
    public static AkkaConfigurationBuilder AddCoordinatorDomain(this AkkaConfigurationBuilder builder, SessionSettings? sessions = null,
        string role = Role)
    {
        var settings = sessions ?? new SessionSettings();
        builder
            .WithShardRegion<ClassroomRegion>("classroom", (_, _, _) => ClassroomActor.Props, EntityRouting.Classrooms,
                new ShardOptions { Role = role, StateStoreMode = StateStoreMode.DData })
            .WithShardRegion<ImageRegion>("image", (_, _, _) => ImageActor.Props, EntityRouting.Images,
                new ShardOptions { Role = role, StateStoreMode = StateStoreMode.DData })
            // One dispatcher for the whole cluster (a singleton on the oldest coordinator), so "one job at a time per computer"
            // and first come, first served hold across coordinators; every node reaches it through its proxy.
            .WithSingleton<JobDispatcherKey>(JobDispatcher.Name, (system, registry, _) => JobDispatcher.Props(DistributedPubSub.Get(system).Mediator, settings.Orders, settings.OrderCheck,
                    settings.RegisteredAgent, registry.Get<ClassroomRegion>()),
                new ClusterSingletonOptions { Role = role }, createProxyToo: true)
            .WithActors((system, registry) => system.ActorOf(JobDispatcherRelay.Props(registry.Get<JobDispatcherKey>()), "job-dispatcher-relay"))
            .WithShardRegion<SessionRegion>("session",
                (_, registry, _) => id => DeploymentSessionActor.Props(id, registry.Get<JobDispatcherKey>(), registry.Get<ClassroomRegion>(),
                    registry.Get<SessionRegion>(), settings),
                EntityRouting.Sessions,
                new ShardOptions
                {
                    Role = role, StateStoreMode = StateStoreMode.DData,
                    RememberEntities = true, RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                })
            .WithActors((system, registry) => registry.Register<RepositoryFileLinkerKey>(system.ActorOf(
                RepositoryFileLinker.Props(registry.Get<ImageRegion>(), DistributedPubSub.Get(system).Mediator), "repository-file-linker")))
            .AddHocon(ReadSideJournalHocon + "\n" + SqlQueryProtocolSerializer.Hocon, HoconAddMode.Prepend)
            // Behind a backoff supervisor: the read journal is made in the actor's constructor and asks the journal's sequence
            // tracker with a 5 s timeout; on a starved machine that ask times out, and a read side stopped at its creation would
            // leave every listing and scope resolution unanswered for good.
            .WithActors((system, registry) => registry.Register<ReadSideKey>(system.ActorOf(
                BackoffSupervisor.Props(Backoff.OnStop(ReadSideActor.Props(ReadJournalPluginId), "projection",
                    TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), 0.2)), ReadSideActor.Name)));
        return builder;
    }

    public const string ReadJournalPluginId = "akka.persistence.query.journal.sql";

    /// <summary>
    /// The query plugin as the read side uses it: large batches, and the journal-sequence tracker (which hands out the highest
    /// gap-free offset) and the tag queries polling every 50 ms instead of every second, so a listing right after a command
    /// does not wait a second for the event it must include.
    /// </summary>
    public const string ReadSideJournalHocon = """
        akka.persistence.query.journal.sql {
          max-buffer-size = 5000
          refresh-interval = 50ms
          journal-sequence-retrieval.query-delay = 50ms
        }
        """;

    /// <summary>The journal-builder callback: tags every audited event for the audit timeline.</summary>
    public static void AddAuditTagging(AkkaPersistenceJournalBuilder journal) =>
        journal.AddWriteEventAdapter<AuditTagger>("og-audit", [typeof(IAuditedEvent)]);

    /// <summary>The services the domain's HTTP API uses (<see cref="CoordinatorDomain"/>).</summary>
    public static IServiceCollection AddCoordinatorDomainServices(this IServiceCollection services,
        string readJournalPluginId = "akka.persistence.query.journal.sql") =>
        services.AddSingleton(sp => new CoordinatorDomain(sp.GetRequiredService<Akka.Actor.ActorSystem>(),
            sp.GetRequiredService<ActorRegistry>(), readJournalPluginId));
}
