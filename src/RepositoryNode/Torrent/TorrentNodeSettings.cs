using Akka.Configuration;

namespace OgActors.RepositoryNode.Torrent;

/// <summary>
/// The repository's P2P settings (<c>og.repository.torrent</c>): its tracker (real opentracker, whitelist build) and its
/// seeder (real aria2c). <c>enabled</c> (default on when both tools are installed), <c>tracker-port</c> (6969, TCP and UDP),
/// <c>tracker-address</c> (default: the host of the repository's HTTP address; 0 = a free port, chosen once at start), <c>seeder-port</c> (BitTorrent listen port,
/// 0 = a free one), <c>poll-interval</c> (how often the catalog is compared with what is tracked and seeded).
/// <see cref="SeederUploadLimit"/>: the seeder's overall upload limit in bytes/s (0 = none; tests slow it down).
/// </summary>
public sealed record TorrentNodeSettings(
    string Repository, string ImagesDirectory, string WorkDirectory, string TrackerAddress, int TrackerPort, int SeederPort,
    TimeSpan PollInterval, bool Enabled, long SeederUploadLimit = 0, int SeederMaxPeers = TorrentNodeSettings.DefaultSeederMaxPeers)
{
    /// <summary>
    /// The computers the repository's seeder serves at once per image (aria2 <c>bt-max-peers</c>; <c>seeder-max-peers</c>): one,
    /// so in peer mode the repository's link feeds one computer with pieces nobody else has yet (every piece the others hold
    /// came through it) and the computers pass them on; with more slots the repository also sends pieces that are already
    /// in the classroom. A computer waiting for the slot gets its pieces from the others meanwhile; leechers take turns.
    /// Measured on the virtual classroom (8 computers, 112 MB, every link 200 Mbit/s): the repository's link sent 1.11 × the
    /// image with 1 slot, 1.37 × with 2, 1.61 × with 3; in leecher mode the turns cost time (4 computers: 1.86 × the
    /// limit with 1 slot, 1.34 × with 3), not bytes.
    /// </summary>
    public const int DefaultSeederMaxPeers = 1;

    public const int DefaultTrackerPort = 6969;

    /// <summary>The announce URL computers reach this tracker at.</summary>
    public string AnnounceUrl => $"http://{TrackerAddress}:{TrackerPort}/announce";

    public static TorrentNodeSettings From(Config config, string repository, string imagesDirectory, string dataDirectory, Uri httpUrl)
    {
        var section = config.GetConfig("og.repository.torrent");
        string Get(string key, string fallback) => section is null || section.IsEmpty ? fallback : section.GetString(key, fallback);
        var address = Get("tracker-address", "");
        var installed = Imaging.Processes.ToolLocator.IsInstalled("opentracker") && Imaging.Torrent.Aria2Process.Available;
        return new TorrentNodeSettings(repository, imagesDirectory, Path.Combine(dataDirectory, "torrent"),
            address.Length > 0 ? address : httpUrl.Host,
            section is null || section.IsEmpty ? DefaultTrackerPort : section.GetInt("tracker-port", DefaultTrackerPort) is > 0 and var port ? port : Imaging.Torrent.Aria2Process.FreePort(),
            section is null || section.IsEmpty ? 0 : section.GetInt("seeder-port", 0),
            section is null || section.IsEmpty ? TimeSpan.FromSeconds(1) : section.GetTimeSpan("poll-interval", TimeSpan.FromSeconds(1)),
            (section is null || section.IsEmpty || section.GetBoolean("enabled", true)) && installed,
            SeederMaxPeers: section is null || section.IsEmpty ? DefaultSeederMaxPeers : section.GetInt("seeder-max-peers", DefaultSeederMaxPeers));
    }
}
