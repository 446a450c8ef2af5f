namespace OgActors.Lab.Journey;

/// <summary>
/// The physical limit of a torrent deploy in peer mode of an F-byte image to N computers, image bytes only (BitTorrent's own headers
/// and the tracker's traffic are what the ratio measures). Three bounds, the limit is the largest:
/// <list type="bullet">
/// <item>every computer must receive the whole image through its own link: F × 8 / one computer's link rate — the bound
/// that dominates when the links are equal, and the one a perfect swarm reaches;</item>
/// <item>every byte must leave the repository at least once: F × 8 / the repository's link rate;</item>
/// <item>the N copies must be uploaded by the repository and the computers together:
/// N × F × 8 / (repository's rate + N × one computer's rate) (every link is shaped in both directions at its rate).</item>
/// </list>
/// (The three are the classic lower bound of peer-to-peer file distribution.) Unicast's limit, N × F over the repository's
/// link, grows with N; this one does not. (In leecher mode the computers share nothing: the journey uses unicast's limit.)
/// </summary>
public static class TorrentLimit
{
    public const string Rule =
        "image bytes only; the limit is the largest of: each computer receives the whole image through its own link, the repository sends every byte once, the N copies uploaded by the repository and the computers together";

    /// <summary>N × F × 8 / (repository's rate + N × one computer's rate): the swarm's upload capacity bound.</summary>
    public static double SwarmSeconds(int computers, long imageBytes, int repositoryMbit, int linkMbit) =>
        computers * imageBytes * 8.0 / ((repositoryMbit + (double)computers * linkMbit) * 1_000_000.0);
}
