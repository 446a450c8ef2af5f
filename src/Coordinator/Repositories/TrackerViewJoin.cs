using OgActors.Messages.Computers;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Repositories;

/// <summary>One peer of a swarm as the operator sees it: a computer's or repository's name, not only its address.</summary>
/// <param name="Kind">computer, repository, or unknown (an address no computer or repository of ours has).</param>
/// <param name="Role">seeder (has the whole image), downloading, or unreachable (it did not say; <paramref name="Problem"/> says why).</param>
/// <param name="Progress">0–1, null when it did not say.</param>
public sealed record TrackerPeerView(string Name, string Kind, string Address, string Role, double? Progress, string Problem);

/// <summary>One tracked image of one repository: the tracker's counts and the swarm's peers by name.</summary>
public sealed record TrackerImageView(string Repository, string Image, string Folder, string InfoHash, long Size, int Pieces,
    long Seeders, long Downloaders, long Completed, IReadOnlyList<TrackerPeerView> Peers, DateTimeOffset At);

/// <summary>The tracker view over one or every repository, with what could not be asked.</summary>
public sealed record TrackerReply(IReadOnlyList<TrackerImageView> Images, IReadOnlyList<string> Problems);

/// <summary>
/// The tracker's data joined with the computer registry (OpenGnsys' tracker page shows computers, not IP:port): each peer's
/// address is matched with the registered computers' IPs (the inventory each agent reports) and the repositories' addresses.
/// A pure function of the repository's <see cref="TrackerView"/>, the registry's computers and the known repositories.
/// </summary>
public static class TrackerViewJoin
{
    public static IReadOnlyList<TrackerImageView> Join(TrackerView view, IReadOnlyList<ComputerStatus> computers, IReadOnlyList<RepositoryStatus> repositories)
    {
        var byIp = computers.GroupBy(c => c.Inventory.Ip, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(c => c.Name).Order().ToList());
        var repositoryByIp = repositories.Where(r => Uri.TryCreate(r.HttpAddress, UriKind.Absolute, out _))
            .GroupBy(r => new Uri(r.HttpAddress).Host, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name);
        return [.. view.Images.Select(swarm => new TrackerImageView(view.Repository, swarm.CanonicalName, swarm.Folder, swarm.InfoHash, swarm.Size,
            swarm.Pieces, swarm.Seeders, swarm.Downloaders, swarm.Completed,
            [.. swarm.Peers.Select(p => Peer(view.Repository, p, byIp, repositoryByIp))], view.At))];
    }

    private static TrackerPeerView Peer(string repository, SwarmPeer peer, Dictionary<string, List<string>> computers, Dictionary<string, string> repositories)
    {
        var address = $"{peer.Ip}:{peer.Port}";
        var role = peer.Problem.Length > 0 ? "unreachable" : peer.Seeder ? "seeder" : "downloading";
        double? progress = peer.Problem.Length > 0 ? null : peer.Progress;
        if (peer.IsRepository) return new TrackerPeerView(repository, "repository", address, role, progress, peer.Problem);
        if (computers.TryGetValue(peer.Ip, out var names))
            return new TrackerPeerView(string.Join(", ", names), "computer", address, role, progress, peer.Problem);
        if (repositories.TryGetValue(peer.Ip, out var other)) return new TrackerPeerView(other, "repository", address, role, progress, peer.Problem);
        return new TrackerPeerView("", "unknown", address, role, progress, peer.Problem);
    }
}
