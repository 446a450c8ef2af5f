using System.Net;
using FluentAssertions;
using OgActors.Imaging.Hashing;
using OgActors.Imaging.Sidecars;
using OgActors.Imaging.Torrent;
using Xunit;

namespace OgActors.Imaging.Tests.Torrent;

/// <summary>
/// <see cref="PeerProbe"/> against real aria2c peers on 127.0.0.1: a seed says it has every piece, a copy with damaged
/// pieces says exactly the pieces aria2 verified, and a peer that is gone or serves another torrent is a sentence.
/// </summary>
public sealed class PeerProbeTests : IDisposable
{
    private const int PieceLength = 16 * 1024;
    private const int Pieces = 40;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly HttpClient Web = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _dir = Directory.CreateTempSubdirectory("og-peer-probe-").FullName;

    [Fact]
    public async Task A_seed_has_every_piece_and_a_damaged_copy_says_exactly_the_pieces_aria2_verified()
    {
        var source = Directory.CreateDirectory(Path.Combine(_dir, "seed")).FullName;
        var file = Path.Combine(source, "disk.img");
        var bytes = new byte[Pieces * PieceLength - 1000]; // the last piece is short
        new Random(40).NextBytes(bytes);
        await File.WriteAllBytesAsync(file, bytes);
        // Nothing listens on the announce URL (port 9, discard): the peers know nobody; the probe comes to them.
        var torrent = TorrentMetainfo.FromDigests("disk.img", await SinglePassHasher.HashFileAsync(file, PieceLength), "http://127.0.0.1:9/announce");
        torrent.PieceCount.Should().Be(Pieces);

        using var seed = await Aria2Process.StartAsync(new Aria2Options(), Web);
        var seedGid = await seed.Rpc.AddTorrentAsync(torrent.Encode(), new Dictionary<string, string>
            { ["dir"] = source, ["check-integrity"] = "true", ["seed-time"] = "600" });
        await UntilAsync(() => seed.Rpc.TellStatusAsync(seedGid), s => s.Seeder);
        var seedAnswer = await PeerProbe.AskAsync(new IPEndPoint(IPAddress.Loopback, seed.ListenPort), torrent.InfoHash, Pieces, Timeout);
        seedAnswer.Problem.Should().BeEmpty();
        seedAnswer.Complete.Should().BeTrue();
        seedAnswer.Have.Should().Be(Pieces);

        // A copy with three damaged pieces: aria2 checks it, keeps 37 pieces and waits for the rest (it knows no peer).
        var partial = Directory.CreateDirectory(Path.Combine(_dir, "partial")).FullName;
        int[] damaged = [3, 17, 39];
        foreach (var piece in damaged) bytes[piece * PieceLength + 5] ^= 0xff;
        await File.WriteAllBytesAsync(Path.Combine(partial, "disk.img"), bytes);
        using var downloader = await Aria2Process.StartAsync(new Aria2Options(), Web);
        var gid = await downloader.Rpc.AddTorrentAsync(torrent.Encode(), new Dictionary<string, string>
            { ["dir"] = partial, ["check-integrity"] = "true", ["seed-time"] = "0" });
        // aria2 checks the copy piece by piece: asked until the peer's answer and aria2's own count agree (the check is over).
        var (status, answer) = await UntilAsync(async () =>
        {
            var s = await downloader.Rpc.TellStatusAsync(gid);
            return (s, await PeerProbe.AskAsync(new IPEndPoint(IPAddress.Loopback, downloader.ListenPort), torrent.InfoHash, Pieces, Timeout));
        }, a => a.s.Status == "active" && a.Item2.Answered && a.Item2.Have > 0 && (long)a.Item2.Have * PieceLength == a.s.CompletedLength);
        answer.Problem.Should().BeEmpty();
        answer.Complete.Should().BeFalse();
        answer.Have.Should().Be(Pieces - damaged.Length);
        answer.Fraction.Should().BeApproximately(37.0 / 40, 1e-9);
        status.CompletedLength.Should().Be((long)(Pieces - damaged.Length) * PieceLength, "aria2 itself counts the same 37 whole pieces");

        // Another torrent: aria2 does not serve it and closes the connection; a port nobody listens on any more.
        var other = await PeerProbe.AskAsync(new IPEndPoint(IPAddress.Loopback, seed.ListenPort), new string('b', 40), Pieces, Timeout);
        other.Answered.Should().BeFalse();
        other.Problem.Should().NotBeEmpty();
        var gone = await PeerProbe.AskAsync(new IPEndPoint(IPAddress.Loopback, Aria2Process.FreePort()), torrent.InfoHash, Pieces, Timeout);
        gone.Problem.Should().Be("nothing listens there any more");
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T>> get, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var value = await get();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not reached in time; last value {value}.");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
