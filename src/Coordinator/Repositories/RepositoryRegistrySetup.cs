using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;

namespace OgActors.Coordinator.Repositories;

public static class RepositoryRegistrySetup
{
    /// <summary>Starts the RepositoryRegistryActor (/user/repositories), subscribed to the repositories' announcements.</summary>
    public static AkkaConfigurationBuilder AddRepositoryRegistry(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) =>
            registry.Register<RepositoryRegistryActor>(
                system.ActorOf(RepositoryRegistryActor.Props(DistributedPubSub.Get(system).Mediator), "repositories")));
}
