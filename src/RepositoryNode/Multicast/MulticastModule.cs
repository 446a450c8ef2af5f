using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Hosting.Modules;
using OgActors.Messages.Multicast;
using OgActors.Multicast;
using HostSettings = OgActors.RepositoryNode.Hosting.RepositorySettings;

namespace OgActors.RepositoryNode.Multicast;

/// <summary>
/// Multicast sending as a host module: the <see cref="MulticastManagerActor"/>, put into DistributedPubSub under
/// <see cref="MulticastPaths.Manager"/> so that computers reach it with <c>ClusterClient.Send</c> through any coordinator's receptionist.
/// </summary>
public sealed class MulticastModule : INodeModule
{
    public void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        var host = services.GetRequiredService<HostSettings>();
        var settings = MulticastNodeSettings.From(services.GetRequiredService<Config>(), host.Name, host.ImagesDir);
        akka.WithActors((system, _) =>
        {
            var manager = system.ActorOf(MulticastManagerActor.Props(settings), MulticastPaths.ManagerName(settings.Repository));
            DistributedPubSub.Get(system).Mediator.Tell(new Put(manager), ActorRefs.NoSender);
        });
    }
}
