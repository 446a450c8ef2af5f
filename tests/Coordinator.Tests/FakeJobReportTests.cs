using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Common;
using OgActors.Messages.Computers;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// Attack: the student at pc02 (a real remote ActorSystem, pc02's registered agent) and a foreign ActorSystem report pc01's
/// job finished. The session takes a report for a computer only from that computer's registered agent's node: both fakes are
/// ignored, pc01's real outcome is the one recorded, and pc02's own report is taken.
/// </summary>
public sealed class FakeJobReportTests
{
    private static readonly string[] RestoreKinds = [JobKinds.Of(SessionKind.Restore, TransferMethod.Unicast)];

    private static JobFinished Finished(string id, string pc, JobOutcome outcome) =>
        new(id, pc, outcome, "direct unicast", "fake or real", 1 << 20, TimeSpan.FromSeconds(1), outcome == JobOutcome.Failed ? "disk error" : "");

    [Fact]
    public async Task A_fake_JobFinished_for_another_computer_is_ignored_and_the_real_session_goes_on()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await Scenario.StartCheckingRegistryAsync(store);
        var pc01Node = RemoteNodes.Start("127.0.0.1");
        var pc02Node = RemoteNodes.Start("127.0.0.2");
        var foreign = RemoteNodes.Start("127.0.0.3");
        try
        {
            await Scenario.DefineLabAsync(host, "pc01", "pc02");
            var pc01 = new TestProbe(pc01Node, new XunitAssertions());
            var pc02 = new TestProbe(pc02Node, new XunitAssertions());
            foreach (var (name, probe) in new[] { ("pc01", pc01), ("pc02", pc02) })
                await Scenario.RegisterRemoteAgentAsync(host, name, probe, RestoreKinds);

            var reply = await host.Domain.Planner.StartAsync(new SessionRequest(SessionKind.Restore, Computers: ["pc01", "pc02"], Image: "win11",
                Partition: 1, Method: TransferMethod.Unicast), "alice");
            var id = reply.Should().BeOfType<Accepted>((reply as Refused)?.Reason).Subject.Id!;
            var pc01Job = pc01.ExpectMsg<RunJob>(TimeSpan.FromSeconds(10));
            var pc02Job = pc02.ExpectMsg<RunJob>(TimeSpan.FromSeconds(10));
            pc01Job.ReplyTo.Tell(new JobAccepted(id, "pc01"), pc01.Ref);
            pc01Job.ReplyTo.Tell(new JobStarted(id, "pc01", "direct unicast", "no cache"), pc01.Ref);

            // The student at pc02 (pc02's registered agent) and a foreign system claim pc01 finished.
            pc02Job.ReplyTo.Tell(Finished(id, "pc01", JobOutcome.Succeeded), pc02.Ref);
            var stranger = new TestProbe(foreign, new XunitAssertions());
            var region = await foreign.ActorSelection(pc01Job.ReplyTo.Path.ToStringWithAddress()).ResolveOne(TimeSpan.FromSeconds(10));
            region.Tell(Finished(id, "pc01", JobOutcome.Succeeded), stranger.Ref);
            region.Tell(Finished(id, "pc01", JobOutcome.Succeeded), ActorRefs.NoSender);
            stranger.ExpectNoMsg(TimeSpan.FromSeconds(2)); // not even acknowledged
            var view = await host.Domain.SessionAsync(id);
            view!.Jobs.Single(j => j.Computer == "pc01").Status.Should().NotBe(JobStatus.Succeeded, "no fake report was taken");
            view.Outcome.Should().BeNull();

            // The real reports are taken: pc02's own, then pc01's (which failed).
            pc02Job.ReplyTo.Tell(new JobAccepted(id, "pc02"), pc02.Ref);
            pc02Job.ReplyTo.Tell(Finished(id, "pc02", JobOutcome.Succeeded), pc02.Ref);
            pc02.FishForMessage(m => m is JobFinishedAck { Computer: "pc02" }, TimeSpan.FromSeconds(10));
            pc01Job.ReplyTo.Tell(Finished(id, "pc01", JobOutcome.Failed), pc01.Ref);
            pc01.FishForMessage(m => m is JobFinishedAck { Computer: "pc01" }, TimeSpan.FromSeconds(10));
            var until = DateTime.UtcNow.AddSeconds(20);
            while ((view = await host.Domain.SessionAsync(id))!.Outcome is null && DateTime.UtcNow < until) await Task.Delay(100);
            view.Jobs.Single(j => j.Computer == "pc01").Status.Should().Be(JobStatus.Failed);
            view.Jobs.Single(j => j.Computer == "pc01").Error.Should().Be("disk error");
            view.Jobs.Single(j => j.Computer == "pc02").Status.Should().Be(JobStatus.Succeeded);
        }
        finally
        {
            await foreign.Terminate();
            await pc02Node.Terminate();
            await pc01Node.Terminate();
        }
    }
}
