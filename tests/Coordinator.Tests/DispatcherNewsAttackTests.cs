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
/// News the job dispatcher acts on — a computer's agent moved or went away, a computer left its classroom — checked with
/// where the truth is kept (the computer registry, the classroom) rather than believed from whoever sends it.
/// <para>Attack 1: a student's ActorSystem (a real remote system, on no registered computer's node) tells the job dispatcher the
/// registry's presence news about pc01 — "pc01's agent is here, at my actor" and "pc01's agent went away" — as anyone who
/// reaches a coordinator can (a ClusterClient publishes on the agents' topic; a direct send names the singleton), and a
/// runner's announcement for pc01 naming an actor at the coordinator's own address. Believed, the first would hand pc01's
/// next orders, a create-image job's upload capability among them, to the student, the second would hold pc01's jobs as
/// offline, the third would send them nowhere. The dispatcher asks the computer registry instead, which holds pc01 at pc01's
/// own node, and believes runners only there: pc01's job reaches pc01 and nothing reaches the student.</para>
/// <para>Attack 2: news that pc01 left its classroom, which would fail its queued jobs: the classroom still holds pc01, so
/// they wait on; removed for real, they end with that reason.</para>
/// </summary>
public sealed class DispatcherNewsAttackTests
{
    private static readonly string[] RestoreKinds = [JobKinds.Of(SessionKind.Restore, TransferMethod.Unicast)];

    [Fact]
    public async Task Forged_presence_news_about_a_computer_neither_takes_its_orders_nor_holds_its_jobs()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await Scenario.StartCheckingRegistryAsync(store);
        var registry = host.Registry.Get<ComputerRegistry>();
        var pc01Node = RemoteNodes.Start("127.0.0.1");
        var studentNode = RemoteNodes.Start("127.0.0.4");
        try
        {
            await Scenario.DefineLabAsync(host, "pc01");
            var pc01 = new TestProbe(pc01Node, new XunitAssertions());
            var agent = await Scenario.RegisterRemoteAgentAsync(host, "pc01", pc01, RestoreKinds);

            // The student names the dispatcher singleton and sends it presence news about pc01.
            var student = new TestProbe(studentNode, new XunitAssertions());
            var dispatcher = await host.System.ActorSelection($"/user/{JobDispatcher.Name}/{JobDispatcher.Name}").ResolveOne(TimeSpan.FromSeconds(10));
            var atDispatcher = await RemoteNodes.ResolveAsync(studentNode, dispatcher, host.System);
            atDispatcher.Tell(new AgentAvailable("pc01", student.Ref, []), student.Ref);
            atDispatcher.Tell(new AgentGone("pc01"), student.Ref);
            atDispatcher.Tell(new AgentAvailable("pc01", student.Ref, []), student.Ref);
            // and, once the registry's answers to those are in, a runner's announcement "from" an actor at the coordinator's own
            // address (a local ref once it arrives)
            await Task.Delay(1000);
            var coordinator = ((ExtendedActorSystem)host.System).Provider.DefaultAddress;
            var nowhere = ((ExtendedActorSystem)studentNode).Provider.ResolveActorRef(new RootActorPath(coordinator) / "user" / "nowhere");
            atDispatcher.Tell(new AgentAvailable("pc01", nowhere, RestoreKinds), student.Ref);
            await Task.Delay(1500); // believed, the news would take effect within milliseconds

            var reply = await host.Domain.Planner.StartAsync(new SessionRequest(SessionKind.Restore, Computers: ["pc01"], Image: "win11",
                Partition: 1, Method: TransferMethod.Unicast), "alice");
            var id = reply.Should().BeOfType<Accepted>((reply as Refused)?.Reason).Subject.Id!;
            pc01.FishForMessage(m => m is RunJob { Computer: "pc01" }, TimeSpan.FromSeconds(10), "pc01's job reaches pc01's own agent");
            student.ExpectNoMsg(TimeSpan.FromSeconds(2));
            var view = await host.Domain.SessionAsync(id);
            view!.Jobs.Single().Waiting.Should().NotContain("offline", "the forged departure was not believed");

            // Genuine news still counts: pc01's agent really goes away (the registry hears it), and the dispatcher holds its jobs.
            registry.Tell(new UnregisterComputer("pc01", agent));
            host.System.EventStream.Publish(new AgentGone("pc01"));
            var until = DateTime.UtcNow.AddSeconds(15);
            while (!(view = await host.Domain.SessionAsync(id))!.Jobs.Single().Waiting.Contains("offline") && DateTime.UtcNow < until)
                await Task.Delay(100);
            view.Jobs.Single().Waiting.Should().Contain("offline");
        }
        finally
        {
            await studentNode.Terminate();
            await pc01Node.Terminate();
        }
    }

    [Fact]
    public async Task Forged_news_that_a_computer_left_its_classroom_does_not_fail_its_queued_jobs()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, new SessionSettings { ResendInterval = TimeSpan.FromMilliseconds(400) });
        await Scenario.DefineLabAsync(host, "pc01");
        var pc01 = host.Kit.CreateTestProbe();
        host.System.EventStream.Publish(new AgentAvailable("pc01", pc01.Ref, RestoreKinds));
        var request = new SessionRequest(SessionKind.Restore, Computers: ["pc01"], Image: "win11", Partition: 1, Method: TransferMethod.Unicast);
        var busy = ((Accepted)await host.Domain.Planner.StartAsync(request, "alice")).Id!;
        var run = pc01.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
        run.ReplyTo.Tell(new JobAccepted(busy, "pc01"), pc01.Ref);
        var queued = ((Accepted)await host.Domain.Planner.StartAsync(request, "bob")).Id!;
        await Polling.UntilAsync(() => host.Domain.SessionAsync(queued), v => v.Jobs.Single().Waiting.Contains("busy"), $"session {queued}");

        var dispatcher = host.Registry.Get<OgActors.Coordinator.Domain.JobDispatcherKey>();
        dispatcher.Tell(new ComputerRemovedFromClassroom("pc01", "lab", "student"));
        await Task.Delay(1500); // believed, the news would fail the queued job within milliseconds
        (await host.Domain.SessionAsync(queued))!.Jobs.Single().Status.Should().Be(JobStatus.Queued, "pc01 is still in lab");

        (await host.Domain.RemoveComputerAsync(new OgActors.Messages.Classrooms.RemoveComputer("lab", "pc01", "alice"))).Should().BeOfType<Accepted>();
        var failed = await Polling.UntilAsync(() => host.Domain.SessionAsync(queued), v => v.Outcome is not null, $"session {queued}");
        failed.Jobs.Single().Error.Should().Be("pc01 was removed from classroom lab by alice.");
    }
}
