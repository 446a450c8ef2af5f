namespace OgActors.Messages.Repositories;

/// <summary>
/// The P2P swarms of a repository, as its tracker and their peers tell them: every ready image it tracks (or only
/// <paramref name="Image"/>), with the peers the tracker lists and how far each one is.
/// Reply: <see cref="TrackerView"/>, or <see cref="Common.Refused"/> when the repository runs no tracker.
/// </summary>
[Manifest("repo.tracker.get")]
public sealed record GetTrackerView(string? Image = null) : IRepositoryCommand;

/// <summary>
/// One peer of a swarm: its address as the tracker lists it, whether it is the repository's own seeder, and the pieces
/// it said it has when asked (its BitTorrent handshake); <paramref name="Problem"/> says why it could not be asked ("" when
/// it answered, and then <paramref name="Progress"/> is 0–1).
/// </summary>
[Manifest("repo.tracker.peer")]
public sealed record SwarmPeer(string Ip, int Port, bool IsRepository, bool Seeder, double Progress, string Problem) : IOgMessage;

/// <summary>
/// One tracked image: the tracker's counts (<paramref name="Seeders"/> = complete, <paramref name="Downloaders"/> =
/// incomplete, <paramref name="Completed"/> = downloads finished since the tracker started) and its peers.
/// </summary>
[Manifest("repo.tracker.swarm")]
public sealed record Swarm(string CanonicalName, string Folder, string InfoHash, long Size, int Pieces,
    long Seeders, long Downloaders, long Completed, IReadOnlyList<SwarmPeer> Peers) : IOgMessage;

/// <summary>What a repository's tracker (<paramref name="AnnounceUrl"/>) shows, at <paramref name="At"/>.</summary>
[Manifest("repo.tracker.view")]
public sealed record TrackerView(string Repository, string AnnounceUrl, IReadOnlyList<Swarm> Images, DateTimeOffset At) : IOgMessage;
