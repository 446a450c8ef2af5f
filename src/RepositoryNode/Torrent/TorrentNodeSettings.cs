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
    /// The computers the repository's seeder serves at once per image (aria2 <c>bt-max-peers</c>; <c>seeder-max-peers</c>): few, so
    /// the repository's link gives each piece to a few computers and they pass it on (in peer mode), rather than sending the
    /// same pieces to every computer at once. A computer waiting for a slot gets its pieces from the others meanwhile.
    /// </summary>
    public const int DefaultSeederMaxPeers = 3;

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
