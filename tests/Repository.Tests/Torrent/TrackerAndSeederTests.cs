using Akka.Actor;
using FluentAssertions;
using OgActors.Imaging.Torrent;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;
using OgActors.RepositoryNode;
using OgActors.RepositoryNode.Torrent;
using Xunit;

namespace OgActors.Repository.Tests.Torrent;

/// <summary>
/// The repository's P2P against the real tools: Debian's opentracker (whitelist build) tracking exactly the ready images'
/// info-hashes, and aria2c seeding them in place from the images directory, checked by announcing to the tracker and by a
/// real aria2c leecher downloading the image.
/// </summary>
[Collection("Torrent")]
public sealed class TrackerAndSeederTests : RepositoryTestBase
{
    private readonly int _trackerPort = Aria2Process.FreePort();

    private string AnnounceUrl => $"http://127.0.0.1:{_trackerPort}/announce";

    protected override RepositoryActorSettings Settings => base.Settings with { AnnounceUrl = AnnounceUrl };

    private TorrentNodeSettings TorrentSettings => new("repo-test", ImagesDirectory, Path.Combine(Scratch, "torrent"), "127.0.0.1", _trackerPort, 0,
        TimeSpan.FromMilliseconds(200), Enabled: true);

    private static readonly HttpClient Web = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Only_ready_images_are_tracked_and_aria2_seeds_them_in_place()
    {
        var image = ArriveByRename(TestImages.Lzop(1), "win10");
        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "win10");
        var metainfo = OgActors.Imaging.Sidecars.TorrentMetainfo.Parse(File.ReadAllBytes(image + ".torrent"));
        metainfo.Private.Should().BeTrue();
        metainfo.Announce.Should().Be(AnnounceUrl);
        metainfo.Name.Should().Be("win10.img", "--dir + the torrent's name is the image file itself");
        var torrentActor = Sys.ActorOf(TorrentActor.Props(TorrentSettings, View), "torrent");

        var seeder = await UntilAsync(async () => await torrentActor.Ask<SeederActor.SeederState>(new SeederActor.GetState(), TimeSpan.FromSeconds(10)),
            s => s.Images.ContainsKey(available.InfoHash) && s.Images[available.InfoHash].Status.Seeder);
        var tracker = await torrentActor.Ask<OpentrackerActor.TrackerState>(new OpentrackerActor.GetState(), TimeSpan.FromSeconds(5));
        tracker.Whitelisted.Should().Equal(available.InfoHash);
        File.ReadAllText(Path.Combine(TorrentSettings.WorkDirectory, OpentrackerActor.WhitelistFile)).Should().Be(available.InfoHash + "\n");

        // Ours: the tracker answers with the repository's seeder among the peers.
        var ours = await UntilAsync(() => TrackerClient.AnnounceAsync(Web, AnnounceUrl, available.InfoHash, "-TEST01-", 40001, available.Size),
            r => r.Peers.Any(p => p.Port == seeder.ListenPort));
        ours.Failure.Should().BeNull();
        ours.Complete.Should().BeGreaterThanOrEqualTo(1);

        // A foreign info-hash: refused, no peers.
        var foreign = await TrackerClient.AnnounceAsync(Web, AnnounceUrl, new string('a', 40), "-TEST02-", 40002, 1000);
        foreign.Failure.Should().Contain("not authorized");
        foreign.Peers.Should().BeEmpty();

        // A real leecher gets the very bytes of NAME.img, seeded from the images directory itself.
        var download = Directory.CreateDirectory(Path.Combine(Scratch, "leecher")).FullName;
        using (var leecher = await Aria2Process.StartAsync(new Aria2Options(), Web))
        {
            var gid = await leecher.Rpc.AddTorrentAsync(File.ReadAllBytes(image + ".torrent"), new Dictionary<string, string> { ["dir"] = download, ["seed-time"] = "0" });
            await UntilAsync(() => leecher.Rpc.TellStatusAsync(gid), s => s.Status == "complete", TimeSpan.FromSeconds(60));
        }
        File.ReadAllBytes(Path.Combine(download, "win10.img")).Should().Equal(File.ReadAllBytes(image));
        Directory.GetFiles(ImagesDirectory).Should().NotContain(f => f.EndsWith(".aria2"), "the seeder writes nothing beside the images");

        // The image goes: the whitelist is rewritten and reloaded, the tracker refuses its hash, the seeder stops.
        File.Delete(image);
        await UntilAsync(async () => await torrentActor.Ask<OpentrackerActor.TrackerState>(new OpentrackerActor.GetState(), TimeSpan.FromSeconds(5)),
            s => s.Whitelisted.Count == 0);
        var gone = await UntilAsync(() => TrackerClient.AnnounceAsync(Web, AnnounceUrl, available.InfoHash, "-TEST03-", 40003, 10), r => r.Failure is not null);
        gone.Peers.Should().BeEmpty();
        (await torrentActor.Ask<SeederActor.SeederState>(new SeederActor.GetState(), TimeSpan.FromSeconds(10))).Images.Should().BeEmpty();
        await StopAsync(torrentActor);
    }

    [Fact]
    public async Task The_tracker_view_lists_each_swarm_with_its_peers_as_the_tracker_and_the_peers_themselves_tell_it()
    {
        var image = ArriveByRename(TestImages.Lzop(3), "linux");
        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "linux");
        var torrentActor = Sys.ActorOf(TorrentActor.Props(TorrentSettings, View), "torrent");
        var seeder = await UntilAsync(async () => await torrentActor.Ask<SeederActor.SeederState>(new SeederActor.GetState(), TimeSpan.FromSeconds(10)),
            s => s.Images.ContainsKey(available.InfoHash) && s.Images[available.InfoHash].Status.Seeder);

        // Only the repository's own seeder in the swarm.
        var alone = await UntilAsync(() => ViewAsync(torrentActor, "linux"),
            v => v.Images.Count == 1 && v.Images[0].Seeders >= 1);
        alone.Repository.Should().Be("repo-test");
        alone.AnnounceUrl.Should().Be(AnnounceUrl);
        var swarm = alone.Images[0];
        (swarm.CanonicalName, swarm.InfoHash, swarm.Size).Should().Be(("linux", available.InfoHash, available.Size));
        swarm.Peers.Should().ContainSingle().Which.Should().Be(new SwarmPeer("127.0.0.1", seeder.ListenPort, IsRepository: true, Seeder: true, 1, ""));

        // A real aria2c downloads the image and keeps seeding it: the tracker lists it, it says it has every piece.
        var download = Directory.CreateDirectory(Path.Combine(Scratch, "peer")).FullName;
        var peer = await Aria2Process.StartAsync(new Aria2Options(), Web);
        var gid = "";
        try
        {
            gid = await peer.Rpc.AddTorrentAsync(File.ReadAllBytes(image + ".torrent"), new Dictionary<string, string> { ["dir"] = download, ["seed-time"] = "600" });
            await UntilAsync(() => peer.Rpc.TellStatusAsync(gid), s => s.Seeder, TimeSpan.FromSeconds(60));
            // (The peer's bitfield can be complete a moment before its "completed" announce reaches the tracker: both are awaited.)
            var both = await UntilAsync(() => ViewAsync(torrentActor, null),
                v => v.Images.Single().Peers.Any(p => p.Port == peer.ListenPort && p.Seeder) && v.Images.Single().Completed > 0);
            swarm = both.Images.Single();
            swarm.Peers.Should().HaveCount(2).And.ContainSingle(p => p.IsRepository);
            swarm.Peers.Single(p => !p.IsRepository).Should().Be(new SwarmPeer("127.0.0.1", peer.ListenPort, IsRepository: false, Seeder: true, 1, ""));
            swarm.Seeders.Should().Be(2, "the tracker counts the repository and the peer");
            swarm.Completed.Should().Be(1, "the peer told the tracker it completed the download");
            (await ViewAsync(torrentActor, "nosuch")).Images.Should().BeEmpty("only tracked images are shown");
        }
        finally
        {
            // The peer stops its download the graceful way (aria2 tells the tracker, and says so once done), then ends.
            try { await peer.Rpc.RemoveAsync(gid); } finally { peer.Dispose(); }
        }

        // The peer stopped (aria2 told the tracker): the view no longer lists it.
        var after = await UntilAsync(() => ViewAsync(torrentActor, "linux"),
            v => v.Images.Single().Peers.Count == 1);
        after.Images.Single().Peers.Single().IsRepository.Should().BeTrue();
        await StopAsync(torrentActor);
    }

    [Fact]
    public async Task A_dead_opentracker_is_started_again_with_the_whitelist()
    {
        ArriveByRename(TestImages.Lzop(2), "office");
        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "office");
        var torrentActor = Sys.ActorOf(TorrentActor.Props(TorrentSettings, View), "torrent");
        var first = await UntilAsync(async () => await torrentActor.Ask<OpentrackerActor.TrackerState>(new OpentrackerActor.GetState(), TimeSpan.FromSeconds(5)),
            s => s.ProcessId is not null && s.Whitelisted.Count == 1);
        System.Diagnostics.Process.GetProcessById(first.ProcessId!.Value).Kill();

        var second = await UntilAsync(async () => await torrentActor.Ask<OpentrackerActor.TrackerState>(new OpentrackerActor.GetState(), TimeSpan.FromSeconds(5)),
            s => s.ProcessId is not null && s.ProcessId != first.ProcessId);
        second.Starts.Should().BeGreaterThan(first.Starts, "it was started again after the kill (a start can fail while the port is still held, and is retried)");
        second.LastExit.Should().Contain("exited");
        var reply = await UntilAsync(() => TrackerClient.AnnounceAsync(Web, AnnounceUrl, available.InfoHash, "-TEST04-", 40004, available.Size), _ => true);
        reply.Failure.Should().BeNull();
        await StopAsync(torrentActor);
        System.Diagnostics.Process.GetProcesses().Should().NotContain(p => p.Id == second.ProcessId!.Value && !p.HasExited);
    }

    /// <summary>The tracker view; a refusal is an error with its sentence (retried by <see cref="UntilAsync{T}"/>, shown if it lasts).</summary>
    private static async Task<TrackerView> ViewAsync(IActorRef torrentActor, string? image) =>
        await torrentActor.Ask<object>(new GetTrackerView(image), TimeSpan.FromSeconds(20)) switch
        {
            TrackerView view => view,
            Messages.Common.Refused refused => throw new HttpRequestException($"refused: {refused.Reason}"),
            var other => throw new InvalidOperationException($"Unexpected answer {other}."),
        };

    private async Task StopAsync(IActorRef actor)
    {
        await actor.GracefulStop(TimeSpan.FromSeconds(15));
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T>> get, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        Exception? last = null;
        T? value = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                value = await get();
                if (done(value)) return value;
            }
            catch (Exception e) when (e is HttpRequestException or Aria2Exception or AskTimeoutException or TaskCanceledException) { last = e; }
            await Task.Delay(200);
        }
        var shown = value is TrackerView view
            ? string.Join("; ", view.Images.Select(i => $"{i.CanonicalName}: {i.Seeders} seeder(s), {i.Downloaders} downloading, {i.Completed} completed, peers "
                + string.Join(", ", i.Peers.Select(p => $"{p.Ip}:{p.Port}{(p.IsRepository ? " (repository)" : "")} {(p.Seeder ? "seeder" : $"{p.Progress:P0}")} {p.Problem}"))))
            : value?.ToString();
        throw new TimeoutException($"Not reached in time; last value {shown}, last error {last?.Message}");
    }
}
