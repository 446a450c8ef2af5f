using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Modules;
using OgActors.RepositoryNode.Catalog;
using HostSettings = OgActors.RepositoryNode.Hosting.RepositorySettings;

namespace OgActors.RepositoryNode.Torrent;

/// <summary>
/// P2P as a host module: the <see cref="TorrentActor"/> (/user/torrent) with the repository's opentracker and aria2 seeder,
/// when both tools are installed and <c>og.repository.torrent.enabled</c> is not off.
/// </summary>
public sealed class TorrentModule : INodeModule
{
    /// <summary>The settings, once (a free tracker port is chosen once): the catalog writes this tracker's URL into its torrents.</summary>
    public void ConfigureServices(IServiceCollection services) => services.AddSingleton(sp =>
    {
        var host = sp.GetRequiredService<HostSettings>();
        return TorrentNodeSettings.From(sp.GetRequiredService<Config>(), host.Name, host.ImagesDir, sp.GetRequiredService<NodeSettings>().DataDir, host.HttpUrl);
    });

    public void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        var settings = services.GetRequiredService<TorrentNodeSettings>();
        if (!settings.Enabled) return;
        var view = services.GetRequiredService<CatalogView>();
        akka.WithActors((system, registry) => registry.Register<TorrentActor>(system.ActorOf(TorrentActor.Props(settings, view), TorrentActor.Name)));
    }
}
