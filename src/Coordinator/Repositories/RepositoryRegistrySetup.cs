using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;

namespace OgActors.Coordinator.Repositories;

public static class RepositoryRegistrySetup
{
    /// <summary>
    /// Starts the RepositoryRegistryActor (/user/repositories) on this coordinator, subscribed to the repositories'
    /// announcements, and registers it with the ClusterClient receptionist so that a computer (not a cluster member)
    /// can register its cache as a repository: <c>ClusterClient.SendToAll("/user/repositories", RepositoryAnnounced)</c>.
    /// Every coordinator keeps its own view (all receive every announcement); nothing here is persisted.
    /// </summary>
    public static AkkaConfigurationBuilder AddRepositoryRegistry(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) =>
        {
            var actor = system.ActorOf(RepositoryRegistryActor.Props(DistributedPubSub.Get(system).Mediator), "repositories");
            registry.Register<RepositoryRegistryActor>(actor);
            ClusterClientReceptionist.Get(system).RegisterService(actor);
        });

    /// <summary>Starts <see cref="UploadSecretActor"/> (/user/upload-secrets): repositories (members only) ask it for the upload secret.</summary>
    public static AkkaConfigurationBuilder AddUploadSecrets(this AkkaConfigurationBuilder builder, UploadSettings settings) =>
        builder.WithActors((system, _) => system.ActorOf(UploadSecretActor.Props(settings.Secret), UploadSecretActor.Name));
}
