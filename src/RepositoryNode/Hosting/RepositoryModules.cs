using OgActors.Hosting.Modules;

namespace OgActors.RepositoryNode.Hosting;

/// <summary>
/// The repository's capabilities (incorporation, import, the unicast HTTP service, the catalog, ...). Adding one is
/// one line here; the real binary and the all-in-one lab both compose this list. Each module finds
/// <see cref="RepositorySettings"/> and <see cref="OgActors.Hosting.Configuration.NodeSettings"/> in the container.
/// </summary>
public static class RepositoryModules
{
    public static IReadOnlyList<INodeModule> Default => [new RepositoryNodeModule(), new Profiles.RepositoryProfilesModule(), new Multicast.MulticastModule(), new Torrent.TorrentModule()];
}
