using Akka.Actor;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Computer;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Tests.Support;
using OgActors.ClientNode.Transfers;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Tests.Jobs;

/// <summary>A cancelled session on the computer: the running job stops, its tools are killed, a partial cache copy stays resumable.</summary>
public sealed class JobCancelTests : RepositoryTestBase
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    /// <summary>Processes whose command line names <paramref name="path"/> (the restore tools writing the partition file).</summary>
    private static List<int> ProcessesNaming(string path) =>
        [.. Directory.EnumerateDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => n.All(char.IsAsciiDigit)).Select(int.Parse)
            .Where(pid => { try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(path); } catch (IOException) { return false; } catch (UnauthorizedAccessException) { return false; } })];

    [Fact]
    public async Task Cancelling_a_cache_update_finishes_cancelled_keeps_the_part_file_and_the_next_job_resumes_it()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var size = new FileInfo(image).Length;
        var cacheDir = Path.Combine(Scratch, "pc06-cache");
        using var slow = new HttpClient(new SlowLink(8 << 20)) { Timeout = Timeout.InfiniteTimeSpan };
        var pc = ComputerSettings("pc06", 512, slow, cacheDir);
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc));
        var session = CreateTestProbe();

        runner.Tell(UnicastJob("s1", "pc06", SessionKind.UpdateCache, "ubuntu", session.Ref), session.Ref);
        runner.Tell(UnicastJob("queued", "pc06", SessionKind.UpdateCache, "ubuntu", session.Ref), session.Ref);
        session.FishForMessage<JobQueued>(m => m is JobQueued { SessionId: "queued" }, Long);
        session.FishForMessage<JobProgress>(m => m is JobProgress p && p.Bytes > size / 4, Long);
        runner.Tell(new CancelJob("queued", "pc06"));
        session.FishForMessage<JobFinished>(m => m is JobFinished { SessionId: "queued" }, Long).Outcome.Should().Be(JobOutcome.Cancelled);
        runner.Tell(new CancelJob("s1", "pc06"));

        var finished = session.FishForMessage<JobFinished>(m => m is JobFinished { SessionId: "s1" }, Long);
        finished.Outcome.Should().Be(JobOutcome.Cancelled);
        finished.Error.Should().Be("The job was cancelled.");
        var partial = new ImageCache(cacheDir, 512L << 20).PartialBytes("ubuntu");
        partial.Should().BeGreaterThan(size / 4).And.BeLessThan(size);
        File.Exists(Path.Combine(cacheDir, "ubuntu.img")).Should().BeFalse();
        await Task.Delay(500);
        new ImageCache(cacheDir, 512L << 20).PartialBytes("ubuntu").Should().Be(partial, "nothing writes the cancelled download any more");

        runner.Tell(UnicastJob("s2", "pc06", SessionKind.UpdateCache, "ubuntu", session.Ref), session.Ref);
        var resumed = session.FishForMessage<JobFinished>(m => m is JobFinished { SessionId: "s2" }, Long);
        resumed.Outcome.Should().Be(JobOutcome.Succeeded, resumed.Error);
        resumed.Reason.Should().Contain("Resumed at");
        Tools.Md5(Path.Combine(cacheDir, "ubuntu.img")).Should().Be(Tools.Md5(image));
    }

    [Fact]
    public async Task Cancelling_a_direct_restore_kills_its_tools()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        using var slow = new HttpClient(new SlowLink(2 << 20)) { Timeout = Timeout.InfiniteTimeSpan };
        var pc = ComputerSettings("pc07", 0, slow, Path.Combine(Scratch, "pc07-cache")); // no cache: direct unicast into the restore tools
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc));
        var session = CreateTestProbe();
        var device = pc.Partitions[1];

        runner.Tell(UnicastJob("s1", "pc07", SessionKind.Restore, "ubuntu", session.Ref), session.Ref);
        session.FishForMessage<JobStarted>(m => m is JobStarted, Long).Path.Should().Be("direct unicast");
        session.FishForMessage<JobProgress>(m => m is JobProgress p && p.Bytes > 0, Long);
        var until = DateTime.UtcNow.AddSeconds(20);
        while (ProcessesNaming(device).Count == 0 && DateTime.UtcNow < until) await Task.Delay(50);
        ProcessesNaming(device).Should().NotBeEmpty("the restore tool is writing the partition");

        runner.Tell(new CancelJob("s1", "pc07"));
        session.FishForMessage<JobFinished>(m => m is JobFinished, Long).Outcome.Should().Be(JobOutcome.Cancelled);
        until = DateTime.UtcNow.AddSeconds(10);
        while (ProcessesNaming(device).Count > 0 && DateTime.UtcNow < until) await Task.Delay(50);
        ProcessesNaming(device).Should().BeEmpty("cancelling kills the restore tools");
    }

    [Fact]
    public async Task An_image_in_an_OU_sub_folder_is_restored_from_that_folder()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu", folder: "ou1");
        var pc = ComputerSettings("pc08", 0, Http, Path.Combine(Scratch, "pc08-cache"));
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc));
        var session = CreateTestProbe();
        var job = UnicastJob("s1", "pc08", SessionKind.Restore, "ubuntu", session.Ref);

        runner.Tell(job with { Spec = job.Spec with { Folder = "ou1" } }, session.Ref);
        var finished = session.FishForMessage<JobFinished>(m => m is JobFinished, Long);
        finished.Outcome.Should().Be(JobOutcome.Succeeded, finished.Error);
        Tools.CheckExt4AndReadFiles(pc.Partitions[1], Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
    }
}
