using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using OgActors.RepositoryNode.Catalog;
using OgActors.RepositoryNode.Incorporation;
using OgActors.RepositoryNode.Unicast;

namespace OgActors.RepositoryNode;

/// <summary>How a host wires the repository node: services, the RepositoryActor, the unicast endpoints.</summary>
public static class RepositoryNodeSetup
{
    /// <summary>Registers the settings and the catalog's read side (shared by the actor and the HTTP service).</summary>
    public static IServiceCollection AddRepositoryCatalog(this IServiceCollection services, RepositoryActorSettings settings) =>
        services.AddSingleton(settings).AddSingleton(new CatalogView(settings.ImagesDirectory)).AddSingleton(new UploadKeys());

    /// <summary>
    /// Starts the RepositoryActor (/user/repository) on a cluster member, publishing through DistributedPubSub.
    /// Needs <see cref="AddRepositoryCatalog"/> on the same service collection.
    /// </summary>
    public static AkkaConfigurationBuilder AddRepositoryNode(this AkkaConfigurationBuilder builder, RepositoryActorSettings settings) =>
        builder.WithActors((system, registry, resolver) =>
        {
            var view = resolver.GetService<CatalogView>();
            var mediator = DistributedPubSub.Get(system).Mediator;
            registry.Register<RepositoryActor>(system.ActorOf(RepositoryActor.Props(settings, mediator, view), "repository"));
            system.ActorOf(UploadKeysActor.Props(settings.Name, resolver.GetService<UploadKeys>()), "upload-keys");
        });

    /// <summary>
    /// Kestrel limits for the unicast service: a 1 MiB response buffer (default 64 KiB; fewer pipe stalls on big
    /// files, see bench/unicast-vs-curl.sh) and no global request body limit (uploads lift it per request anyway).
    /// </summary>
    public static KestrelServerOptions ConfigureForUnicast(this KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxResponseBufferSize = 1 << 20;
        kestrel.Limits.MaxRequestBodySize = null;
        return kestrel;
    }

    /// <summary>Maps the unicast service (GET/HEAD/PUT /images/...) with the registered catalog.</summary>
    public static IEndpointRouteBuilder MapUnicastService(this IEndpointRouteBuilder app) =>
        app.MapUnicastService(app.ServiceProvider.GetRequiredService<CatalogView>(), app.ServiceProvider.GetRequiredService<UploadKeys>(),
            app.ServiceProvider.GetRequiredService<RepositoryActorSettings>().Name);
}
