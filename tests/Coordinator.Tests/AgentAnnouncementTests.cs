using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// Agent announcements come from agents only: a runner's <see cref="AgentAvailable"/> (published by any ClusterClient) is
/// believed only from the node the computer registry holds that computer's agent at.
/// </summary>
public sealed class AgentAnnouncementTests
{
    private static readonly Address Pc01 = new("akka.tcp", "ogactors", "10.1.2.11", 7001);
    private static readonly Address Student = new("akka.tcp", "ogactors", "10.1.2.12", 7001);

    [Fact]
    public void A_runner_on_the_registered_node_is_believed_another_node_is_refused_and_an_early_one_waits_for_the_registry()
    {
        AgentAnnouncementCheck.Judge(Pc01, Pc01, _ => false).Should().Be(AgentAnnouncementCheck.Verdict.Accept);
        AgentAnnouncementCheck.Judge(Student, Pc01, _ => false).Should().Be(AgentAnnouncementCheck.Verdict.Refuse);
        AgentAnnouncementCheck.Judge(Student, null, _ => false).Should().Be(AgentAnnouncementCheck.Verdict.AwaitRegistration);
        AgentAnnouncementCheck.Judge(Student, Pc01, a => a == Student).Should().Be(AgentAnnouncementCheck.Verdict.Accept, "a cluster member is trusted");
        AgentAnnouncementCheck.Judge(new Address("akka", "ogactors"), Pc01, a => a.HasLocalScope).Should().Be(AgentAnnouncementCheck.Verdict.Accept, "this process, where there is no registry to ask");
        AgentAnnouncementCheck.Judge(new Address("akka", "ogactors"), Pc01, null).Should().Be(AgentAnnouncementCheck.Verdict.Refuse, "no exemption with the registry at hand");
        AgentAnnouncementCheck.Judge(Student, null, null).Should().Be(AgentAnnouncementCheck.Verdict.AwaitRegistration);
        AgentAnnouncementCheck.Refusal("pc01", Student, Pc01).Should().Contain("pc01 is registered from akka.tcp://ogactors@10.1.2.11:7001");
    }

    private static RunJob Job(IActorRef session) => new("s1", "pc01", new JobSpec(SessionKind.Restore, JobRole.Single, "win11", 1, 1, "repo1",
        TransferMethod.Unicast, new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60), "", null), session);

    [Fact]
    public async Task A_students_announcement_for_another_computer_does_not_get_that_computers_job()
    {
        var coordinator = RemoteNodes.Start("127.0.0.1", serializeMessages: true);
        var pc01Node = RemoteNodes.Start("127.0.0.1", serializeMessages: true);
        var studentNode = RemoteNodes.Start("127.0.0.2", serializeMessages: true);
        try
        {
            var dispatcher = coordinator.ActorOf(JobDispatcher.Props(null), "job-dispatcher");
            var pc01 = new TestProbe(pc01Node, new XunitAssertions());
            var student = new TestProbe(studentNode, new XunitAssertions());
            var session = new TestProbe(coordinator, new XunitAssertions());
            async Task<IActorRef> Seen(TestProbe probe) => await coordinator.ActorSelection(
                probe.Ref.Path.ToStringWithAddress(((ExtendedActorSystem)probe.Sys).Provider.DefaultAddress)).ResolveOne(TimeSpan.FromSeconds(10));
            var pc01Ref = await Seen(pc01);
            var studentRef = await Seen(student);

            dispatcher.Tell(new AgentAvailable("pc01", pc01Ref, [])); // the registry: pc01's agent is on pc01's node
            dispatcher.Tell(new AgentAvailable("pc01", studentRef, [.. JobKinds.ThisRelease])); // the student claims pc01's runner
            dispatcher.Tell(new DispatchJob(Job(session.Ref)));

            pc01.ExpectMsg<RunJob>(TimeSpan.FromSeconds(10)).Computer.Should().Be("pc01");
            student.ExpectNoMsg(TimeSpan.FromSeconds(1));
        }
        finally
        {
            await Task.WhenAll(coordinator.Terminate(), pc01Node.Terminate(), studentNode.Terminate());
        }
    }
}
