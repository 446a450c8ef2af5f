using System.Net;
using System.Text;
using OgActors.Imaging.Bencode;

namespace OgActors.Imaging.Torrent;

/// <summary>What a tracker answered to one announce: a failure reason, or the swarm's counts and peers (compact form).</summary>
public sealed record AnnounceReply(string? Failure, long Complete, long Incomplete, IReadOnlyList<IPEndPoint> Peers);

/// <summary>What a tracker's scrape says of one torrent: seeders, leechers and completed downloads.</summary>
public sealed record ScrapeReply(long Complete, long Incomplete, long Downloaded);

/// <summary>
/// The BitTorrent HTTP tracker protocol (BEP 3 announce with BEP 23 compact peers; BEP 48 scrape), for the tracker view and
/// for tests that ask the real opentracker directly.
/// </summary>
public static class TrackerClient
{
    public static async Task<AnnounceReply> AnnounceAsync(HttpClient http, string announceUrl, string infoHashHex, string peerId, int port,
        long left, string? trackerEvent = null, CancellationToken cancellationToken = default)
    {
        var query = $"info_hash={Escape(Convert.FromHexString(infoHashHex))}&peer_id={Escape(Encoding.ASCII.GetBytes(peerId.PadRight(20, '0')[..20]))}"
                    + $"&port={port}&uploaded=0&downloaded=0&left={left}&compact=1&numwant=200" + (trackerEvent is null ? "" : $"&event={trackerEvent}");
        var body = await http.GetByteArrayAsync($"{announceUrl}?{query}", cancellationToken);
        if (BencodeReader.Decode(body) is not BencodeDictionary reply) throw new FormatException("The tracker's reply is not a bencoded dictionary.");
        if (reply["failure reason"] is BencodeString failure) return new AnnounceReply(failure.Text, 0, 0, []);
        var peers = new List<IPEndPoint>();
        if (reply["peers"] is BencodeString compact)
            for (var i = 0; i + 6 <= compact.Bytes.Length; i += 6)
                peers.Add(new IPEndPoint(new IPAddress(compact.Bytes.AsSpan(i, 4)), compact.Bytes[i + 4] << 8 | compact.Bytes[i + 5]));
        return new AnnounceReply(null, Integer(reply, "complete"), Integer(reply, "incomplete"), peers);
    }

    /// <summary>Scrapes one torrent (the announce URL with <c>/announce</c> replaced by <c>/scrape</c>); null when the tracker does not know it.</summary>
    public static async Task<ScrapeReply?> ScrapeAsync(HttpClient http, string announceUrl, string infoHashHex, CancellationToken cancellationToken = default)
    {
        var scrape = announceUrl.EndsWith("/announce", StringComparison.Ordinal) ? announceUrl[..^"announce".Length] + "scrape" : throw new ArgumentException("The announce URL does not end in /announce.");
        var hash = Convert.FromHexString(infoHashHex);
        var body = await http.GetByteArrayAsync($"{scrape}?info_hash={Escape(hash)}", cancellationToken);
        if (BencodeReader.Decode(body) is not BencodeDictionary { } reply || reply["files"] is not BencodeDictionary files) return null;
        var one = files.Entries.FirstOrDefault(e => e.Key.AsSpan().SequenceEqual(hash)).Value as BencodeDictionary;
        return one is null ? null : new ScrapeReply(Integer(one, "complete"), Integer(one, "incomplete"), Integer(one, "downloaded"));
    }

    private static long Integer(BencodeDictionary d, string key) => d[key] is BencodeInteger i ? i.Value : 0;

    private static string Escape(byte[] bytes) => string.Concat(bytes.Select(b => $"%{b:X2}"));
}
