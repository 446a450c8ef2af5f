using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Hosting.Configuration;
using OgActors.Coordinator.Sessions;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Hosting;

namespace OgActors.Coordinator.Repositories;

/// <summary>
/// The coordinator's view of the repositories (RepositoryRegistryActor) and its operator API; the upload secret
/// (<see cref="UploadSettings"/>), given to repository members by <see cref="UploadSecretActor"/> and used by sessions to
/// sign create-image jobs' upload capabilities.
/// </summary>
public sealed class RepositoryRegistryModule : ICoordinatorModule
{
    public void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton(sp => UploadSettings.From(sp.GetRequiredService<Config>(), sp.GetRequiredService<NodeSettings>()))
            .AddSingleton(sp => new UploadCapabilityIssuer(sp.GetRequiredService<UploadSettings>()));

    public void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services) =>
        akka.AddRepositoryRegistry().AddUploadSecrets(services.GetRequiredService<UploadSettings>());

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapRepositoryApi().MapTrackerApi();
}
