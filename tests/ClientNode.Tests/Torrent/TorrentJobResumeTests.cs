using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Tests.Support;
using OgActors.ClientNode.Transfers;
using OgActors.ClientNode.Transfers.Torrent;
using OgActors.Imaging.Torrent;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;
using OgActors.RepositoryNode.Torrent;

namespace OgActors.ClientNode.Tests.Torrent;

/// <summary>
/// A computer powered off in the middle of a torrent deploy, as the job runner lives it: the real repository's opentracker
/// and aria2 seeder (slowed to 1 MiB/s so the download is cut off halfway), the computer's own aria2c; the same job run
/// again after the restart resumes from exactly the pieces aria2's control file recorded and says "Resumed at …".
/// </summary>
[Collection("Torrent")]
public sealed class TorrentJobResumeTests : RepositoryTestBase
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);
    private readonly int _trackerPort = Aria2Process.FreePort();
    private IActorRef _torrent = ActorRefs.Nobody;

    protected override string AnnounceUrl => $"http://127.0.0.1:{_trackerPort}/announce";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _torrent = Sys.ActorOf(TorrentActor.Props(new TorrentNodeSettings(RepositoryName, ImagesDirectory, Path.Combine(Scratch, "torrent"), "127.0.0.1",
            _trackerPort, 0, TimeSpan.FromMilliseconds(200), Enabled: true, SeederUploadLimit: 1 << 20), View), "torrent");
    }

    public override async Task DisposeAsync()
    {
        await _torrent.GracefulStop(TimeSpan.FromSeconds(15));
        await base.DisposeAsync();
    }

    private JobRunnerSettings Computer(string name, string cacheDir, TorrentClient aria2) =>
        ComputerSettings(name, 512, cacheDir: cacheDir) with { Transfers = [new UnicastTransfer(), new TorrentTransfer(aria2)] };

    private RunJob TorrentJob(string session, string computer, string image, IActorRef replyTo) =>
        new(session, computer, new JobSpec(SessionKind.DeployImage, JobRole.Single, image, 1, 1, RepositoryName, TransferMethod.Torrent,
            new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 0), "", null), replyTo);

    [Fact]
    public async Task A_computer_powered_off_mid_download_resumes_from_the_pieces_aria2_kept_and_says_resumed_at()
    {
        var (_, image) = await TestImages.Ext4Async(7);
        await PublishAsync(image, "lab");
        var size = new FileInfo(image).Length;
        var cacheDir = Path.Combine(Scratch, "pc07-cache");

        // First life: its own ActorSystem and aria2c, powered off once a third of the image has arrived: aria2c is killed
        // outright (SIGKILL, nothing saved at the last moment), then the node goes.
        var firstLife = ActorSystem.Create("pc07", SystemConfig.WithFallback(Sys.Settings.Config).WithFallback(
            ConfigurationFactory.ParseString("akka.actor.provider = local")));
        var firstAria2 = new TorrentClient();
        try
        {
            var probe = CreateTestProbe(firstLife);
            firstLife.ActorOf(JobRunnerActor.Props(Computer("pc07", cacheDir, firstAria2))).Tell(TorrentJob("s1", "pc07", "lab", probe.Ref), probe.Ref);
            probe.FishForMessage<JobProgress>(m => m is JobProgress p && p.Bytes > size / 3, Long);
            var aria2 = System.Diagnostics.Process.GetProcessById(firstAria2.ProcessId ?? throw new InvalidOperationException("The computer's aria2c is not running."));
            aria2.Kill();
            await aria2.WaitForExitAsync();
        }
        finally
        {
            await firstLife.Terminate();
            firstAria2.Dispose();
        }
        var cache = new ImageCache(cacheDir, 512L << 20);
        cache.Find("lab").Should().BeNull("the download was cut off");
        var kept = Aria2ControlFile.Read(cache.PartialPath("lab") + ".aria2");
        kept.Should().NotBeNull("aria2's control file records the pieces it verified");
        kept!.BytesHeld.Should().BeGreaterThan(0).And.BeLessThan(size);
        kept.TotalLength.Should().Be(size);

        // Restarted: the session sends the same job again.
        using var secondAria2 = new TorrentClient();
        var again = CreateTestProbe();
        var restarted = Computer("pc07", cacheDir, secondAria2);
        var runner = Sys.ActorOf(JobRunnerActor.Props(restarted));
        runner.Tell(TorrentJob("s1", "pc07", "lab", again.Ref), again.Ref);
        var finished = again.FishForMessage<JobFinished>(m => m is JobFinished { SessionId: "s1" }, Long);
        finished.Outcome.Should().Be(JobOutcome.Succeeded, finished.Error);
        finished.ResumedFrom.Should().Be(kept.BytesHeld, "aria2 resumes from exactly the pieces its control file recorded");
        var held = CachePolicy.Size(kept.BytesHeld);
        finished.Reason.Should().Contain($"partly in the cache ({held} of {CachePolicy.Size(size)})")
            .And.Contain($"Resumed at {held} (attempt 2: {held} fetched before").And.Contain("full sum verified");
        Tools.Md5(cache.ImagePath("lab")).Should().Be(Tools.Md5(image));
        Tools.CheckExt4AndReadFiles(restarted.Partitions[1], Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(7));
        await runner.GracefulStop(TimeSpan.FromSeconds(15));
    }
}
