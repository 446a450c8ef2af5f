using System.Net;
using OgActors.Imaging.Sidecars;
using OgActors.Imaging.Torrent;
using OgActors.Messages.Repositories;

namespace OgActors.RepositoryNode.Torrent;

/// <summary>
/// The tracker view of one repository, taken from the real tracker and the real peers: for every ready image (or the one
/// asked for) the tracker's scrape (seeders, downloaders, completed) and its peer list, and each peer's pieces as the peer
/// itself tells them (<see cref="PeerProbe"/>: the BitTorrent handshake and the peer's bitfield).
/// <para>The peer list is what opentracker answers to an announce, and an announce also records the announcing peer; the
/// view therefore announces as the repository's own seeder — its address and listen port, <c>left=0</c>, no event: the very
/// re-announce aria2 makes every few seconds — so it adds no one to the swarm. When the seeder does not seed the image
/// (aria2 is restarting) nothing is announced and only the scrape's counts are shown.</para>
/// </summary>
public static class SwarmSurvey
{
    /// <summary>How long one peer may take to say which pieces it has.</summary>
    public static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(3);

    public static async Task<TrackerView> TakeAsync(TorrentNodeSettings settings, IReadOnlyList<SeedableImage> ready, SeederActor.SeederState seeder,
        string? image, HttpClient http, CancellationToken cancellationToken = default)
    {
        var swarms = new List<Swarm>();
        foreach (var tracked in ready.Where(r => image is null || r.Key.Name == image || r.Key.ToString() == image))
            swarms.Add(await SwarmOfAsync(settings, tracked, seeder, http, cancellationToken));
        return new TrackerView(settings.Repository, settings.AnnounceUrl, swarms, DateTimeOffset.UtcNow);
    }

    private static async Task<Swarm> SwarmOfAsync(TorrentNodeSettings settings, SeedableImage tracked, SeederActor.SeederState seeder, HttpClient http,
        CancellationToken cancellationToken)
    {
        var torrent = TorrentMetainfo.Parse(await File.ReadAllBytesAsync(tracked.TorrentPath, cancellationToken));
        var counts = await AgainOnceAsync(() => TrackerClient.ScrapeAsync(http, settings.AnnounceUrl, tracked.InfoHash, cancellationToken), cancellationToken);
        var peers = new List<SwarmPeer>();
        var seeding = seeder.ListenPort > 0 && seeder.Images.TryGetValue(tracked.InfoHash, out var seeded) && seeded.Status.Seeder;
        if (seeding)
        {
            var own = new IPEndPoint(IPAddress.Parse(settings.TrackerAddress), seeder.ListenPort);
            var reply = await AgainOnceAsync(() => TrackerClient.AnnounceAsync(http, settings.AnnounceUrl, tracked.InfoHash, "-OG0100-trackerview", seeder.ListenPort, 0,
                cancellationToken: cancellationToken), cancellationToken);
            peers.Add(new SwarmPeer(own.Address.ToString(), own.Port, IsRepository: true, Seeder: true, Progress: 1, Problem: ""));
            var asked = await Task.WhenAll(reply.Peers.Where(p => !p.Equals(own))
                .Select(p => PeerProbe.AskAsync(p, tracked.InfoHash, torrent.PieceCount, PeerTimeout, cancellationToken)));
            peers.AddRange(asked.Select(a => new SwarmPeer(a.Peer.Address.ToString(), a.Peer.Port, IsRepository: false, a.Complete, a.Fraction, a.Problem)));
        }
        return new Swarm(tracked.Key.Name, tracked.Key.Folder, tracked.InfoHash, torrent.Length, torrent.PieceCount,
            counts?.Complete ?? 0, counts?.Incomplete ?? 0, counts?.Downloaded ?? 0,
            [.. peers.OrderByDescending(p => p.IsRepository).ThenBy(p => p.Ip, StringComparer.Ordinal).ThenBy(p => p.Port)]);
    }

    /// <summary>A request to the tracker, asked once more after a moment when the connection failed (a busy tracker may reset one).</summary>
    private static async Task<T> AgainOnceAsync<T>(Func<Task<T>> ask, CancellationToken cancellationToken)
    {
        try { return await ask(); }
        catch (HttpRequestException)
        {
            await Task.Delay(200, cancellationToken);
            return await ask();
        }
    }
}
