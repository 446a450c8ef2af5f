using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Hosting.Modules;

namespace OgActors.RepositoryNode.Profiles;

/// <summary>
/// Software profiles as a module of the repository host: the <see cref="ProfileReaderActor"/>
/// (<c>/user/profile-reader</c>), configured by <c>og.repository.profiles</c>. Add it after <see cref="RepositoryNodeModule"/>.
/// </summary>
public sealed class RepositoryProfilesModule : INodeModule
{
    public void ConfigureServices(IServiceCollection services) { }

    public void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        var settings = ProfileSettings.From(services.GetService<Config>());
        if (!settings.Enabled) return;
        var repository = services.GetRequiredService<RepositoryActorSettings>();
        akka.WithActors((system, _) => system.ActorOf(ProfileReaderActor.Props(repository, settings, DistributedPubSub.Get(system).Mediator), "profile-reader"));
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) { }
}
