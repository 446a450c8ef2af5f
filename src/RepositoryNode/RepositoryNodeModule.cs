using Akka.Configuration;
using Akka.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Hosting.Modules;
using OgActors.RepositoryNode.Catalog;
using HostSettings = OgActors.RepositoryNode.Hosting.RepositorySettings;

namespace OgActors.RepositoryNode;

/// <summary>
/// The repository's capability as a host module: the catalog (RepositoryActor: incorporation, import, delete,
/// announcements) and the unicast HTTP service on the host's Kestrel.
/// </summary>
public sealed class RepositoryNodeModule : INodeModule
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var host = sp.GetRequiredService<HostSettings>();
            var server = sp.GetRequiredService<IServer>();
            var config = sp.GetRequiredService<Config>();
            var settings = RepositoryActorSettingsHocon.From(config, host.Name, host.ImagesDir, host.HttpUrl.ToString().TrimEnd('/'));
            // Unless og.repository.announce-url says otherwise, the torrents announce this repository's own tracker.
            if (!config.HasPath("og.repository.announce-url") && sp.GetService<Torrent.TorrentNodeSettings>() is { } torrent)
                settings = settings with { AnnounceUrl = torrent.AnnounceUrl };
            return settings
                with
                {
                    // The address actually bound (port 0 in the lab), once Kestrel has started.
                    HttpAddressResolver = () => server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                                                ?? throw new InvalidOperationException("not started"),
                };
        });
        services.AddSingleton(sp => new CatalogView(sp.GetRequiredService<HostSettings>().ImagesDir));
        services.AddSingleton(new Unicast.UploadKeys());
    }

    public void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services) =>
        akka.AddRepositoryNode(services.GetRequiredService<RepositoryActorSettings>());

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapUnicastService();
}
