using Akka.Hosting;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Hosting;

namespace OgActors.Coordinator.Repositories;

/// <summary>The coordinator's view of the repositories (RepositoryRegistryActor) and its operator API.</summary>
public sealed class RepositoryRegistryModule : ICoordinatorModule
{
    public void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services) => akka.AddRepositoryRegistry();

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapRepositoryApi();
}
