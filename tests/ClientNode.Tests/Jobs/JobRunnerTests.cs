using OgActors.ClientNode.Computer;
using Akka.Actor;
using Akka.TestKit;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Tests.Support;
using OgActors.ClientNode.Transfers;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Tests.Jobs;

/// <summary>The job runner of a computer against the real repository: the job protocol, the paths it picks, resume after a kill.</summary>
public sealed class JobRunnerTests : RepositoryTestBase
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private static JobFinished Finished(TestProbe session, TimeSpan? within = null) =>
        session.FishForMessage<JobFinished>(m => m is JobFinished, within ?? Long);

    [Fact]
    public async Task Capture_on_one_computer_then_deploy_through_the_cache_on_another()
    {
        var (source, _) = await TestImages.Ext4Async(1);
        var model = ComputerSettings("pc01", 0) with { Partitions = new Dictionary<int, string> { [1] = source } };
        var pc02 = ComputerSettings("pc02", 512);
        var modelRunner = Sys.ActorOf(JobRunnerActor.Props(model), "pc01-jobs");
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc02), "pc02-jobs");
        var session = CreateTestProbe();
        var ended = CreateTestProbe();
        Sys.EventStream.Subscribe(ended.Ref, typeof(JobRunnerActor.JobEnded));

        // Create image: pc01's partition 1 captured into repo1 as ubuntu.img.
        modelRunner.Tell(UnicastJob("s1", "pc01", SessionKind.CreateImage, "ubuntu", session.Ref), session.Ref);
        session.ExpectMsg<JobAccepted>();
        session.ExpectMsg<JobStarted>().Path.Should().Contain("capture");
        var captured = Finished(session);
        captured.Outcome.Should().Be(JobOutcome.Succeeded, captured.Error);
        captured.Bytes.Should().BeGreaterThan(0);
        session.Reply(new JobFinishedAck("s1", "pc01"));
        ended.ExpectMsg<JobRunnerActor.JobEnded>().Finished.Should().Be(captured);
        await WaitServedAsync("ubuntu");

        // Deploy: not cached yet → update the cache, then restore from it.
        runner.Tell(UnicastJob("s2", "pc02", SessionKind.DeployImage, "ubuntu", session.Ref), session.Ref);
        session.ExpectMsg<JobAccepted>();
        var started = session.ExpectMsg<JobStarted>();
        started.Path.Should().Be("update cache + restore");
        started.Reason.Should().Contain("not in the cache");
        var finished = Finished(session);
        finished.Outcome.Should().Be(JobOutcome.Succeeded, finished.Error);
        finished.Bytes.Should().Be(new FileInfo(Path.Combine(ImagesDirectory, "ubuntu.img")).Length);
        finished.Reason.Should().Contain("full sum verified");
        Tools.CheckExt4AndReadFiles(pc02.Partitions[1], Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
        pc02.Cache!.Find("ubuntu")!.FullSum.Should().Be(Tools.Md5(Path.Combine(ImagesDirectory, "ubuntu.img")));
        pc02.Ledger!.Read()[1].Should().Match<PartitionLedger.Entry>(e => e.Image == "ubuntu" && e.Revision == 1, "the inventory reports what each partition holds");
        model.Ledger!.Read().Should().BeEmpty("a capture does not change what the partition holds");

        // JobFinished is resent until acknowledged; a resent RunJob is answered, never run twice.
        Finished(session, TimeSpan.FromSeconds(3)).Should().Be(finished);
        session.Reply(new JobFinishedAck("s2", "pc02"));
        runner.Tell(UnicastJob("s2", "pc02", SessionKind.DeployImage, "ubuntu", session.Ref), session.Ref);
        session.ExpectMsg<JobFinished>().Should().Be(finished);
        session.Reply(new JobFinishedAck("s2", "pc02"));
        // A resend already on its way when an ack arrived may still come; anything else (a second run) may not.
        var late = session.ReceiveWhile(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), m => m);
        late.Where(m => !Equals(m, finished)).Should().BeEmpty("the job ran once and its outcome stays the same");

        // A second deploy of the same image: the cached copy is identical, nothing is downloaded.
        runner.Tell(UnicastJob("s3", "pc02", SessionKind.DeployImage, "ubuntu", session.Ref), session.Ref);
        session.ExpectMsg<JobAccepted>();
        var fromCache = session.ExpectMsg<JobStarted>();
        fromCache.Path.Should().Be("cache");
        fromCache.Reason.Should().Contain("identical");
        var second = Finished(session);
        second.Outcome.Should().Be(JobOutcome.Succeeded, second.Error);
        second.Bytes.Should().Be(0);
        Tools.CheckExt4AndReadFiles(pc02.Partitions[1], Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
    }

    [Fact]
    public async Task A_cache_too_small_takes_the_direct_path_with_its_reason()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var pc04 = ComputerSettings("pc04", 1);
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc04));
        var session = CreateTestProbe();

        runner.Tell(UnicastJob("s1", "pc04", SessionKind.DeployImage, "ubuntu", session.Ref), session.Ref);

        session.ExpectMsg<JobAccepted>();
        var started = session.ExpectMsg<JobStarted>(Long);
        started.Path.Should().Be("direct unicast");
        started.Reason.Should().Contain("larger than the whole cache");
        var finished = Finished(session);
        finished.Outcome.Should().Be(JobOutcome.Succeeded, finished.Error);
        finished.Bytes.Should().Be(new FileInfo(image).Length);
        Tools.CheckExt4AndReadFiles(pc04.Partitions[1], Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
        Directory.EnumerateFiles(pc04.Cache!.Directory).Should().BeEmpty();
    }

    [Fact]
    public async Task A_job_that_cannot_run_fails_with_one_sentence_and_a_busy_computer_queues()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var pc = ComputerSettings("pc05", 512, http: new HttpClient(new SlowLink(4 << 20)) { Timeout = Timeout.InfiniteTimeSpan });
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc));
        var session = CreateTestProbe();

        runner.Tell(UnicastJob("bad", "pc05", SessionKind.DeployImage, "ubuntu", session.Ref, partition: 7), session.Ref);
        var bad = session.FishForMessage<JobFinished>(m => m is JobFinished { SessionId: "bad" });
        bad.Outcome.Should().Be(JobOutcome.Failed);
        bad.Error.Should().Be("Computer pc05 has no partition 7.");
        runner.Tell(new JobFinishedAck("bad", "pc05"));

        runner.Tell(UnicastJob("missing", "pc05", SessionKind.DeployImage, "nosuch", session.Ref), session.Ref);
        session.FishForMessage<JobFinished>(m => m is JobFinished { SessionId: "missing" }).Error.Should().Contain("does not serve image nosuch");
        runner.Tell(new JobFinishedAck("missing", "pc05"));

        runner.Tell(UnicastJob("other", "pc99", SessionKind.DeployImage, "ubuntu", session.Ref), session.Ref);
        session.FishForMessage<JobFinished>(m => m is JobFinished { SessionId: "other" }).Error.Should().Be("This agent is computer pc05, not pc99.");
        runner.Tell(new JobFinishedAck("other", "pc99"));

        runner.Tell(UnicastJob("long", "pc05", SessionKind.UpdateCache, "ubuntu", session.Ref), session.Ref);
        session.FishForMessage<JobAccepted>(m => m is JobAccepted { SessionId: "long" });
        runner.Tell(UnicastJob("next", "pc05", SessionKind.Restore, "ubuntu", session.Ref), session.Ref);
        session.FishForMessage<JobQueued>(m => m is JobQueued { SessionId: "next" }).Reason.Should().Contain("busy with session long");
        session.FishForMessage<JobFinished>(m => m is JobFinished { SessionId: "long" }, Long).Path.Should().Be("update cache");
        session.FishForMessage<JobStarted>(m => m is JobStarted { SessionId: "next" }, Long).Path.Should().Be("cache");
        session.FishForMessage<JobFinished>(m => m is JobFinished { SessionId: "next" }, Long).Outcome.Should().Be(JobOutcome.Succeeded);
    }

    [Fact]
    public async Task A_computer_killed_during_a_cache_update_resumes_where_it_stopped_when_restarted()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var size = new FileInfo(image).Length;
        var cacheDir = Path.Combine(Scratch, "pc03-cache");
        var (cache, partial, first) = await KilledMidDownloadAsync("pc03", "s1", cacheDir, size);
        first.Should().NotBeNull("the killed attempt recorded whose partial copy it is and the time it took");
        first!.Job.Should().Be("s1/pc03");
        first.Duration.Should().BePositive();

        // Restarted: the session sends the same RunJob again; the download resumes from the partial copy.
        var restarted = ComputerSettings("pc03", 512, cacheDir: cacheDir);
        var again = CreateTestProbe();
        Sys.ActorOf(JobRunnerActor.Props(restarted)).Tell(UnicastJob("s1", "pc03", SessionKind.DeployImage, "ubuntu", again.Ref), again.Ref);
        again.ExpectMsg<JobAccepted>();
        again.ExpectMsg<JobStarted>(Long).Reason.Should().Contain("partly in the cache");
        var finished = Finished(again);
        finished.Outcome.Should().Be(JobOutcome.Succeeded, finished.Error);
        // The job's bytes and time add up both attempts: what the killed one fetched (kept in the cache) and the rest.
        finished.Bytes.Should().Be(size);
        finished.ResumedFrom.Should().Be(partial);
        finished.Attempt.Should().Be(2);
        finished.Duration.Should().BeGreaterThan(first.Duration);
        finished.Reason.Should().Contain("Resumed at").And.Contain("(attempt 2: ").And.Contain("full sum verified");
        File.Exists(cache.PartialAttemptsPath("ubuntu")).Should().BeFalse("the record goes with the partial copy once it is committed");
        Tools.Md5(cache.ImagePath("ubuntu")).Should().Be(Tools.Md5(image));
        Tools.CheckExt4AndReadFiles(restarted.Partitions[1], Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
    }

    [Fact]
    public async Task Another_session_resuming_a_partial_copy_counts_only_the_bytes_it_fetched()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var size = new FileInfo(image).Length;
        var cacheDir = Path.Combine(Scratch, "pc06-cache");
        var (_, partial, _) = await KilledMidDownloadAsync("pc06", "s1", cacheDir, size);

        var later = CreateTestProbe();
        Sys.ActorOf(JobRunnerActor.Props(ComputerSettings("pc06", 512, cacheDir: cacheDir)))
            .Tell(UnicastJob("s2", "pc06", SessionKind.UpdateCache, "ubuntu", later.Ref), later.Ref);
        var finished = later.FishForMessage<JobFinished>(m => m is JobFinished { SessionId: "s2" }, Long);
        finished.Outcome.Should().Be(JobOutcome.Succeeded, finished.Error);
        finished.Bytes.Should().Be(size - partial, "the bytes session s1 left in the cache were not transferred by s2");
        finished.ResumedFrom.Should().Be(partial);
        finished.Attempt.Should().Be(1);
        finished.Reason.Should().Contain("from a partial copy an earlier session left");
    }

    /// <summary>A computer's first life, in its own ActorSystem on a slow link, terminated mid-download of image ubuntu.</summary>
    private async Task<(ImageCache Cache, long Partial, PartialAttempts? Recorded)> KilledMidDownloadAsync(string computer, string session,
        string cacheDir, long size)
    {
        var firstLife = ActorSystem.Create(computer, SystemConfig.WithFallback(Sys.Settings.Config).WithFallback(
            Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.provider = local")));
        try
        {
            using var slow = new HttpClient(new SlowLink(8 << 20)) { Timeout = Timeout.InfiniteTimeSpan };
            var settings = ComputerSettings(computer, 512, slow, cacheDir);
            var probe = CreateTestProbe(firstLife);
            firstLife.ActorOf(JobRunnerActor.Props(settings)).Tell(UnicastJob(session, computer, SessionKind.DeployImage, "ubuntu", probe.Ref), probe.Ref);
            probe.FishForMessage<JobProgress>(m => m is JobProgress p && p.Bytes > size / 3, Long);
        }
        finally
        {
            await firstLife.Terminate();
        }
        var cache = new ImageCache(cacheDir, 512L << 20);
        // The cancelled download ends on its own thread: wait until the partial copy stops growing and its time is recorded.
        long partial = -1;
        for (var i = 0; i < 100 && (partial != cache.PartialBytes("ubuntu") || cache.PartialAttempts("ubuntu") is not { Duration.Ticks: > 0 }); i++)
        {
            partial = cache.PartialBytes("ubuntu");
            await Task.Delay(300);
        }
        partial.Should().BeGreaterThan(size / 3).And.BeLessThan(size);
        return (cache, partial, cache.PartialAttempts("ubuntu"));
    }
}
