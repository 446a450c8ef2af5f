using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Computer;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Tests.Support;
using OgActors.ClientNode.Transfers;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;
using Akka.Actor;
using Akka.TestKit;

namespace OgActors.ClientNode.Tests.Jobs;

/// <summary>Issue 10 item 4: the cache never trusts itself blindly (against the real repository HTTP service).</summary>
public sealed class CacheTrustTests : RepositoryTestBase
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private JobFinished Deploy(IActorRef runner, TestProbe session, string id, string computer)
    {
        runner.Tell(UnicastJob(id, computer, SessionKind.DeployImage, "ubuntu", session.Ref), session.Ref);
        var finished = session.FishForMessage<JobFinished>(m => m is JobFinished f && f.SessionId == id, Long);
        runner.Tell(new JobFinishedAck(id, computer));
        return finished;
    }

    [Fact]
    public async Task Sixteen_flipped_bytes_in_the_cached_copy_are_caught_before_writing_the_copy_is_deleted_and_fetched_again()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var pc = ComputerSettings("pc02", 512);
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc));
        var session = CreateTestProbe();
        Deploy(runner, session, "s1", "pc02").Outcome.Should().Be(JobOutcome.Succeeded);

        // 16 bytes flipped in the middle of the cached file; its own sidecars still say it is the repository's.
        var cached = pc.Cache!.ImagePath("ubuntu");
        await using (var file = new FileStream(cached, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = file.Length / 2;
            var bytes = new byte[16];
            file.ReadExactly(bytes);
            for (var i = 0; i < bytes.Length; i++) bytes[i] ^= 0xFF;
            file.Position = file.Length / 2;
            file.Write(bytes);
        }

        var second = Deploy(runner, session, "s2", "pc02");
        second.Outcome.Should().Be(JobOutcome.Succeeded, second.Error);
        second.Reason.Should().Contain("not the repository's").And.Contain("it was deleted").And.Contain("again");
        second.Bytes.Should().Be(new FileInfo(image).Length, "the bad copy was replaced by a fresh download");
        second.Restored!.FullSum.Should().Be(Tools.Md5(image));
        Tools.Md5(cached).Should().Be(Tools.Md5(image));
        Tools.CheckExt4AndReadFiles(pc.Partitions[1], Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));

        var third = Deploy(runner, session, "s3", "pc02");
        third.Outcome.Should().Be(JobOutcome.Succeeded, third.Error);
        third.Bytes.Should().Be(0);
        third.Reason.Should().Contain("Cached copy verified (full MD5");
    }

    [Fact]
    public async Task A_partition_too_small_is_refused_before_any_byte_is_downloaded()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var pc = ComputerSettings("pc03", 512, partitionMiB: 4);
        var before = Tools.Md5(pc.Partitions[1]);
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc));
        var session = CreateTestProbe();

        var finished = Deploy(runner, session, "s1", "pc03");
        finished.Outcome.Should().Be(JobOutcome.Failed);
        finished.Error.Should().Contain("needs").And.Contain("nothing was written");
        finished.Restored!.PartitionWritten.Should().BeFalse();
        Directory.EnumerateFiles(pc.Cache!.Directory).Should().BeEmpty("nothing of the image was downloaded into the cache");
        Tools.Md5(pc.Partitions[1]).Should().Be(before);
        pc.Ledger!.Read().Should().BeEmpty();
    }

    [Fact]
    public async Task A_direct_restore_refused_for_a_too_small_partition_records_it_untouched_not_damaged()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var pc = ComputerSettings("pc04", 0, partitionMiB: 4); // no cache: the direct path, whose size check is the restore's own
        var before = Tools.Md5(pc.Partitions[1]);
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc));
        var session = CreateTestProbe();

        var finished = Deploy(runner, session, "s1", "pc04");
        finished.Outcome.Should().Be(JobOutcome.Failed);
        finished.Path.Should().Be("direct unicast");
        finished.Error.Should().Contain("nothing was written");
        finished.Restored!.PartitionWritten.Should().BeFalse("a refusal before writing leaves the partition as it was");
        Tools.Md5(pc.Partitions[1]).Should().Be(before);
        pc.Ledger!.Read().Should().BeEmpty();
    }
}
