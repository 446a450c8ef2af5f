using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.TestKit;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Tests.Support;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Multicast;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Tests.Multicast;

/// <summary>
/// A computer's multicast job against a real repository (HTTP): it joins through its ClusterClient (a probe here, standing
/// for the repository's multicast manager), declines when its partition is too small, and finishes by unicast catch-up
/// when the multicast cannot bring it the image.
/// </summary>
public sealed class MulticastJobTests : RepositoryTestBase
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private static RunJob MulticastJob(string computer, Akka.Actor.IActorRef replyTo) =>
        new("s1", computer, new JobSpec(SessionKind.DeployImage, JobRole.Single, "ubuntu", 1, 1, RepositoryName, TransferMethod.Multicast,
            new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60), "", null,
            Classroom: "aula1", ClassroomComputers: 2), replyTo);

    private static JoinMulticast Joined(TestProbe coordinators) =>
        (JoinMulticast)coordinators.FishForMessage<ClusterClient.Send>(s => s.Message is JoinMulticast, Long).Message;

    [Fact]
    public async Task A_computer_told_it_missed_the_multicast_catches_up_by_unicast_and_says_so()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        var served = await PublishAsync(image, "ubuntu");
        var coordinators = CreateTestProbe();
        var pc02 = ComputerSettings("pc02", 512) with { ClusterClient = coordinators.Ref };
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc02));
        var session = CreateTestProbe();

        runner.Tell(MulticastJob("pc02", session.Ref), session.Ref);

        var join = Joined(coordinators);
        join.Declined.Should().BeEmpty();
        join.Classroom.Should().Be("aula1");
        join.ClassroomComputers.Should().Be(2);
        join.FullSum.Should().Be(Tools.Md5(image));
        join.Settings.GroupAddress.Should().Be("239.194.0.1");
        session.FishForMessage<JobStarted>(m => m is JobStarted, Long).Path.Should().Be("multicast → cache → restore");
        join.Member.Tell(new MulticastMissed("s1", "pc02", "pc02 joined after the multicast had started (at 08:00:03); it catches up by unicast."));

        var finished = session.FishForMessage<JobFinished>(m => m is JobFinished, Long);
        finished.Outcome.Should().Be(JobOutcome.Succeeded, finished.Error);
        finished.Path.Should().Be("multicast → cache → restore → unicast catch-up");
        finished.Reason.Should().Contain("Unicast catch-up: pc02 joined after the multicast had started");
        finished.Restored!.FullSum.Should().Be(Tools.Md5(image));
        Tools.CheckExt4AndReadFiles(pc02.Partitions[1], Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
        served.Should().NotBeNull();
    }

    [Fact]
    public async Task A_partition_too_small_does_not_join_and_fails_at_once_with_the_reason()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var coordinators = CreateTestProbe();
        var pc03 = ComputerSettings("pc03", 512, partitionMiB: 8) with { ClusterClient = coordinators.Ref };
        var before = Tools.Md5(pc03.Partitions[1]);
        var runner = Sys.ActorOf(JobRunnerActor.Props(pc03));
        var session = CreateTestProbe();

        runner.Tell(MulticastJob("pc03", session.Ref), session.Ref);

        var join = Joined(coordinators);
        join.Declined.Should().Contain("needs").And.Contain("nothing was written");
        var finished = session.FishForMessage<JobFinished>(m => m is JobFinished, Long);
        finished.Outcome.Should().Be(JobOutcome.Failed);
        finished.Error.Should().Contain("needs");
        finished.Restored!.PartitionWritten.Should().BeFalse();
        Tools.Md5(pc03.Partitions[1]).Should().Be(before);
        coordinators.ReceiveWhile(TimeSpan.FromSeconds(3), m => m).OfType<ClusterClient.Send>()
            .Should().NotContain(s => s.Message is JoinMulticast && ((JoinMulticast)s.Message).Declined.Length == 0, "a computer that declined never joins");
    }
}
