using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace OgActors.Imaging.Torrent;

/// <summary>What one peer said of a torrent when asked: the pieces it has (null when it could not be asked, and why).</summary>
public sealed record PeerPieces(IPEndPoint Peer, int Have, int Pieces, string Problem = "")
{
    public bool Answered => Problem.Length == 0;
    public bool Complete => Answered && Pieces > 0 && Have == Pieces;
    public double Fraction => Pieces > 0 ? (double)Have / Pieces : 0;
}

/// <summary>
/// Asks a BitTorrent peer which pieces of a torrent it has, the way any peer learns it: the BitTorrent handshake (BEP 3,
/// with the fast extension's bit, BEP 6), then the peer's first message, its <c>bitfield</c> (or <c>have all</c> /
/// <c>have none</c>). Nothing is requested and the connection is closed at once. For the tracker view: the tracker knows
/// who is in a swarm, only the peers know how far each one is.
/// </summary>
public static class PeerProbe
{
    private static readonly byte[] Protocol = Encoding.ASCII.GetBytes("BitTorrent protocol");
    private const byte Bitfield = 5, HaveAll = 14, HaveNone = 15, Have = 4;

    public static async Task<PeerPieces> AskAsync(IPEndPoint peer, string infoHashHex, int pieces, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var have = new bool[pieces];
        var haveSeen = false;
        try
        {
            using var client = new TcpClient(peer.AddressFamily);
            await client.ConnectAsync(peer, deadline.Token);
            var stream = client.GetStream();
            var handshake = new byte[68];
            handshake[0] = (byte)Protocol.Length;
            Protocol.CopyTo(handshake, 1);
            handshake[27] = 0x04; // reserved bytes: the fast extension (a peer with nothing says "have none" at once)
            Convert.FromHexString(infoHashHex).CopyTo(handshake, 28);
            Encoding.ASCII.GetBytes("-OG0100-").CopyTo(handshake, 48);
            RandomNumberGenerator.Fill(handshake.AsSpan(56, 12));
            await stream.WriteAsync(handshake, deadline.Token);
            var reply = new byte[68];
            await stream.ReadExactlyAsync(reply, deadline.Token);
            if (reply[0] != Protocol.Length || !reply.AsSpan(1, 19).SequenceEqual(Protocol))
                return new PeerPieces(peer, 0, pieces, "it does not speak BitTorrent");
            if (!reply.AsSpan(28, 20).SequenceEqual(handshake.AsSpan(28, 20)))
                return new PeerPieces(peer, 0, pieces, "it answered for another torrent");
            // Its first messages: the bitfield (or have all / have none); a peer without the fast extension and without
            // any piece sends nothing, which the deadline turns into "none" below.
            var header = new byte[4];
            while (true)
            {
                try { await stream.ReadExactlyAsync(header, deadline.Token); }
                catch (Exception e) when (e is OperationCanceledException or EndOfStreamException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    return haveSeen ? Count(peer, have) : new PeerPieces(peer, 0, pieces);
                }
                var length = BinaryPrimitives.ReadInt32BigEndian(header);
                if (length == 0) continue; // keep-alive
                if (length < 0 || length > Math.Max(1 << 20, (pieces + 7) / 8 + 1))
                    return new PeerPieces(peer, 0, pieces, $"it sent a message of {length} bytes");
                var message = new byte[length];
                await stream.ReadExactlyAsync(message, deadline.Token);
                switch (message[0])
                {
                    case HaveAll: return new PeerPieces(peer, pieces, pieces);
                    case HaveNone when !haveSeen: return new PeerPieces(peer, 0, pieces);
                    case Bitfield:
                        for (var i = 0; i < pieces && 1 + i / 8 < message.Length; i++)
                            if ((message[1 + i / 8] & (0x80 >> (i % 8))) != 0) have[i] = true;
                        return Count(peer, have);
                    case Have when length == 5:
                        var index = BinaryPrimitives.ReadInt32BigEndian(message.AsSpan(1));
                        if (index >= 0 && index < pieces) { have[index] = true; haveSeen = true; }
                        break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or EndOfStreamException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var why = e switch
            {
                SocketException s => s.SocketErrorCode == SocketError.ConnectionRefused ? "nothing listens there any more" : s.Message.TrimEnd('.').ToLowerInvariant(),
                OperationCanceledException => $"it did not answer within {timeout.TotalSeconds:0.#} s",
                _ => "it closed the connection",
            };
            return new PeerPieces(peer, 0, pieces, why);
        }
    }

    private static PeerPieces Count(IPEndPoint peer, bool[] have) => new(peer, have.Count(h => h), have.Length);
}
