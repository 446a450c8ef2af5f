using Akka.Actor;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Tests.Support;
using OgActors.ClientNode.Transfers;
using OgActors.ClientNode.Transfers.Torrent;
using OgActors.Imaging.Progress;
using OgActors.Imaging.Torrent;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;
using OgActors.RepositoryNode.Torrent;

namespace OgActors.ClientNode.Tests.Torrent;

/// <summary>
/// The torrent transfer path against the real repository: its opentracker and its aria2 seeder (slowed down, so a download
/// can be cut off halfway), and one real aria2c per computer, on 127.0.0.1.
/// </summary>
[Collection("Torrent")]
public sealed class TorrentTransferTests : RepositoryTestBase
{
    private readonly int _trackerPort = Aria2Process.FreePort();
    private IActorRef _torrent = ActorRefs.Nobody;

    protected override string AnnounceUrl => $"http://127.0.0.1:{_trackerPort}/announce";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _torrent = Sys.ActorOf(TorrentActor.Props(new TorrentNodeSettings(RepositoryName, ImagesDirectory, Path.Combine(Scratch, "torrent"), "127.0.0.1",
            _trackerPort, 0, TimeSpan.FromMilliseconds(200), Enabled: true, SeederUploadLimit: 6 << 20), View), "torrent");
    }

    public override async Task DisposeAsync()
    {
        await _torrent.GracefulStop(TimeSpan.FromSeconds(15));
        await base.DisposeAsync();
    }

    private static JobSpec Spec(string image, P2PMode mode, int seedSeconds) => new(SessionKind.UpdateCache, JobRole.Single, image, 1, 1, RepositoryName,
        TransferMethod.Torrent, new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 10, 60), new P2PSettings(mode, seedSeconds), "", null);

    [Fact]
    public async Task A_cut_off_download_keeps_its_pieces_resumes_from_them_and_the_copy_seeds_for_the_seed_time()
    {
        var (_, image) = await TestImages.Ext4Async(3);
        await PublishAsync(image, "linux");
        var size = new FileInfo(image).Length;
        var facts = await Repository.DescribeAsync("linux");
        var cache = new ImageCache(Path.Combine(Scratch, "pc01-cache"), 1L << 30);
        var aria2Log = Path.Combine(Scratch, "pc01-aria2.log");
        using var client = new TorrentClient(new Aria2Options(LogFile: aria2Log));
        var torrent = new TorrentTransfer(client);
        var request = new TransferRequest(Spec("linux", P2PMode.Peer, 3), facts, Repository, "S1/pc01");

        // The computer "dies" once a third has arrived: aria2 keeps the pieces and its control file beside NAME.img.part.
        using (var stop = new CancellationTokenSource())
        {
            var cut = () => torrent.UpdateCacheAsync(request, cache, new Inline(p => { if (p.Bytes > size / 3) stop.Cancel(); }), stop.Token);
            await cut.Should().ThrowAsync<OperationCanceledException>();
        }
        File.Exists(cache.PartialPath("linux") + ".aria2").Should().BeTrue(
            $"aria2's control file records the verified pieces; the cache holds {string.Join(", ", Directory.GetFiles(cache.Directory).Select(Path.GetFileName))}; aria2's log:\n{File.ReadAllText(aria2Log)}");
        cache.Find("linux").Should().BeNull();

        var result = await torrent.UpdateCacheAsync(request, cache, null, CancellationToken.None);
        result.ResumedFrom.Should().BeGreaterThan(0).And.BeLessThan(size);
        result.BytesFetched.Should().Be(size - result.ResumedFrom);
        result.Image.FullSum.Should().Be(Tools.Md5(image));
        Tools.Md5(cache.ImagePath("linux")).Should().Be(Tools.Md5(image));
        File.Exists(cache.PartialPath("linux")).Should().BeFalse();
        File.Exists(cache.PartialPath("linux") + ".aria2").Should().BeFalse();

        // Peer mode: the committed copy seeds while the job runs, and for the seed time after it.
        client.Seeds.Should().ContainSingle(s => s.Image == "linux" && s.Until == null);
        var rpc = await client.RpcAsync(CancellationToken.None);
        var gid = client.Seeds[0].Gid;
        (await rpc.TellStatusAsync(gid)).Seeder.Should().BeTrue();
        client.SeedFor("linux", 3);
        client.Seeds.Should().ContainSingle(s => s.Until != null);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (client.Seeds.Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        client.Seeds.Should().BeEmpty("the seed stops at its deadline");
        // aria2 stops it the graceful way (it tells the tracker first), then forgets it.
        Aria2Exception? forgotten = null;
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (forgotten is null && DateTime.UtcNow < deadline)
        {
            try { await rpc.TellStatusAsync(gid); await Task.Delay(200); }
            catch (Aria2Exception e) { forgotten = e; }
        }
        forgotten.Should().NotBeNull("aria2 no longer knows the seed");
        forgotten!.Failure.Should().Be(Aria2Failure.Refused, "aria2 itself answers that it does not know the download");
    }

    [Fact]
    public async Task Two_peers_download_together_and_a_leecher_does_not_seed_afterwards()
    {
        var (_, image) = await TestImages.Ext4Async(4);
        await PublishAsync(image, "office");
        var facts = await Repository.DescribeAsync("office");
        using var a = new TorrentClient();
        using var b = new TorrentClient();
        var cacheA = new ImageCache(Path.Combine(Scratch, "pcA-cache"), 1L << 30);
        var cacheB = new ImageCache(Path.Combine(Scratch, "pcB-cache"), 1L << 30);
        var both = await Task.WhenAll(
            new TorrentTransfer(a).UpdateCacheAsync(new TransferRequest(Spec("office", P2PMode.Peer, 30), facts, Repository, "S2/pcA"), cacheA, null, CancellationToken.None),
            new TorrentTransfer(b).UpdateCacheAsync(new TransferRequest(Spec("office", P2PMode.Leecher, 30), facts, Repository, "S2/pcB"), cacheB, null, CancellationToken.None));
        both.Should().OnlyContain(r => r.Image.FullSum == Tools.Md5(image));
        a.Seeds.Should().ContainSingle();
        b.Seeds.Should().BeEmpty("a leecher does not seed");
        // A new job that needs the cache stops what still seeds.
        await a.StopSeedingAsync();
        a.Seeds.Should().BeEmpty();
    }

    private sealed class Inline(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }
}
