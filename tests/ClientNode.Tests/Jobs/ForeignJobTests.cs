using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Tests.Support;
using OgActors.ClientNode.Transfers;
using OgActors.Hosting.Serialization;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Tests.Jobs;

/// <summary>
/// Attack: a foreign ActorSystem (a student's process on 127.0.0.2, not a coordinator) sends a computer's job runner a RunJob
/// over Akka.Remote, and a CancelJob for the computer's real job. Both are refused: nothing runs, the attacker hears nothing,
/// and the job the coordinator side sent goes on. The runner knows the coordinators from its ClusterClient's contact points.
/// </summary>
public sealed class ForeignJobTests : RepositoryTestBase
{
    private static Config RemoteConfig(string host) => ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.actor.serialize-messages = on
            akka.remote.dot-netty.tcp { hostname = "{{host}}", port = 0 }
            akka.cluster.client.use-legacy-serialization = off
            """)
        .WithFallback(ConfigurationFactory.ParseString(SerializationSetup.Hocon))
        .WithFallback(DistributedPubSub.DefaultConfig())
        .WithFallback(ClusterClientReceptionist.DefaultConfig());

    private static JobSpec Restore(string repository) => new(SessionKind.Restore, JobRole.Single, "ubuntu", 1, 1, repository,
        TransferMethod.Unicast, new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60), "", null);

    [Fact]
    public async Task A_foreign_actor_system_cannot_make_a_computer_run_or_cancel_a_job()
    {
        ClusterClientReceptionist.Get(Sys);
        var clientNode = ActorSystem.Create("pc07", RemoteConfig("127.0.0.1"));
        var attacker = ActorSystem.Create("ogactors", RemoteConfig("127.0.0.2"));
        try
        {
            var receptionist = ActorPath.Parse($"{((ExtendedActorSystem)Sys).Provider.DefaultAddress}/system/receptionist");
            var clusterClient = clientNode.ActorOf(ClusterClient.Props(
                ClusterClientSettings.Create(clientNode).WithInitialContacts(ImmutableHashSet.Create(receptionist))), "cluster-client");
            var partition = TestImages.TargetPartition(Scratch, "pc07-p1");
            var settings = new JobRunnerSettings("pc07", new Dictionary<int, string> { [1] = partition },
                new ImageCache(Path.Combine(Scratch, "pc07-cache"), 64L << 20), _ => null, Http, [new UnicastTransfer()],
                TimeSpan.FromMilliseconds(500)) { Coordinators = clusterClient, CoordinatorContacts = [receptionist] };
            var runner = clientNode.ActorOf(JobRunnerActor.Props(settings), JobRunnerSetup.ActorName);
            var runnerPath = $"{((ExtendedActorSystem)clientNode).Provider.DefaultAddress}{JobRunnerSetup.ActorPath}";

            // The attacker's RunJob, with itself as the session to answer: refused, never run, never answered.
            var evil = new Akka.TestKit.TestProbe(attacker, new Akka.TestKit.Xunit2.XunitAssertions());
            attacker.ActorSelection(runnerPath).Tell(new RunJob("evil", "pc07", Restore("repo-of-the-attacker"), evil.Ref), evil.Ref);
            attacker.ActorSelection(runnerPath).Tell(new RunJob("evil-anonymous", "pc07", Restore("repo-of-the-attacker"), evil.Ref), ActorRefs.NoSender);
            evil.ExpectNoMsg(TimeSpan.FromSeconds(3));
            var jobs = await runner.Ask<JobRunnerActor.Jobs>(new JobRunnerActor.GetJobs(), TimeSpan.FromSeconds(5));
            jobs.Running.Should().BeNull();
            jobs.Finished.Should().BeEmpty();

            // The coordinator side (the cluster the runner's ClusterClient knows) is obeyed.
            var session = CreateTestProbe();
            var remoteRunner = await Sys.ActorSelection(runnerPath).ResolveOne(TimeSpan.FromSeconds(10));
            remoteRunner.Tell(new RunJob("s1", "pc07", Restore(RepositoryName), session.Ref), session.Ref);
            session.ExpectMsg<JobAccepted>(TimeSpan.FromSeconds(10)).SessionId.Should().Be("s1");

            // The attacker cannot cancel it, nor acknowledge its end (so it is not resent) either.
            attacker.ActorSelection(runnerPath).Tell(new CancelJob("s1", "pc07"), evil.Ref);
            var finished = session.FishForMessage<JobFinished>(m => m is JobFinished, TimeSpan.FromSeconds(60));
            finished.Outcome.Should().NotBe(JobOutcome.Cancelled, "the attacker's CancelJob was refused");
            attacker.ActorSelection(runnerPath).Tell(new JobFinishedAck("s1", "pc07"), evil.Ref);
            session.FishForMessage<JobFinished>(m => m is JobFinished, TimeSpan.FromSeconds(10)).SessionId.Should().Be("s1", "it is still resent");
            evil.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        }
        finally
        {
            await attacker.Terminate();
            await clientNode.Terminate();
        }
    }

    [Fact]
    public void Only_the_coordinators_a_computer_is_in_contact_with_may_give_it_jobs()
    {
        var authority = new CoordinatorAuthority();
        var coordinator = new Address("akka.tcp", "ogactors", "10.0.0.1", 4053);
        authority.Contacts([new RootActorPath(coordinator) / "system" / "receptionist"]);
        authority.Refusal(CreateTestProbe().Ref, Sys).Should().BeNull("a sender of this ActorSystem");
        authority.Refusal(Sys.DeadLetters, Sys).Should().Contain("no sender");
        authority.Refusal(ActorRefs.Nobody, Sys).Should().Contain("no sender");
        var remote = ((ExtendedActorSystem)Sys).Provider;
        authority.Refusal(remote.ResolveActorRef(new RootActorPath(coordinator) / "user" / "job-dispatcher"), Sys).Should().BeNull();
        var student = new Address("akka.tcp", "ogactors", "10.0.0.77", 4053);
        authority.Refusal(remote.ResolveActorRef(new RootActorPath(student) / "user" / "x"), Sys)
            .Should().Be("its sender akka.tcp://ogactors@10.0.0.77:4053 is not a coordinator of this computer (coordinators: akka.tcp://ogactors@10.0.0.1:4053)");
        authority.Removed(new RootActorPath(coordinator) / "system" / "receptionist");
        authority.Refusal(remote.ResolveActorRef(new RootActorPath(coordinator) / "user" / "job-dispatcher"), Sys).Should().Contain("none yet");
    }
}
