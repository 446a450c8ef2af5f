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
/// The runner on a client node that is not a cluster member (its own ActorSystem, Akka.Remote only) announces itself
/// through a real ClusterClient to the cluster's receptionist, and then runs a job sent to it over remoting, answering
/// the session across the node boundary — the path the coordinators' job dispatcher uses.
/// </summary>
public sealed class JobRunnerAnnouncementTests : RepositoryTestBase
{
    [Fact]
    public async Task A_client_node_announces_its_runner_and_runs_a_job_sent_over_remoting()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        ClusterClientReceptionist.Get(Sys);
        var agents = CreateTestProbe();
        DistributedPubSub.Get(Sys).Mediator.Tell(new Subscribe(JobKinds.AgentsTopic, agents.Ref), agents.Ref);
        agents.ExpectMsg<SubscribeAck>();

        var clientConfig = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.actor.serialize-messages = on
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.cluster.client.use-legacy-serialization = off
            """)
            .WithFallback(ConfigurationFactory.ParseString(SerializationSetup.Hocon))
            .WithFallback(DistributedPubSub.DefaultConfig())
            .WithFallback(ClusterClientReceptionist.DefaultConfig());
        var clientNode = ActorSystem.Create("pc06", clientConfig);
        try
        {
            var receptionist = ActorPath.Parse($"{((ExtendedActorSystem)Sys).Provider.DefaultAddress}/system/receptionist");
            var clusterClient = clientNode.ActorOf(ClusterClient.Props(
                ClusterClientSettings.Create(clientNode).WithInitialContacts(ImmutableHashSet.Create(receptionist))), "cluster-client");
            var partition = TestImages.TargetPartition(Scratch, "pc06-p1");
            var settings = new JobRunnerSettings("pc06", new Dictionary<int, string> { [1] = partition },
                new ImageCache(Path.Combine(Scratch, "pc06-cache"), 512L << 20), RepositoryAddresses.From(ConfigurationFactory.ParseString(
                    $"og.computer.repositories {{ {RepositoryName} = \"{BaseUrl.AbsoluteUri.TrimEnd('/')}\" }}")),
                Http, [new UnicastTransfer()], TimeSpan.FromMilliseconds(500)) { ClusterClient = clusterClient, CoordinatorContacts = [receptionist], AnnounceInterval = TimeSpan.FromSeconds(1) };
            clientNode.ActorOf(JobRunnerActor.Props(settings), JobRunnerSetup.ActorName);

            var available = agents.ExpectMsg<AgentAvailable>(TimeSpan.FromSeconds(30));
            available.Computer.Should().Be("pc06");
            available.JobKinds.Should().BeEquivalentTo(JobRunnerActor.SupportedJobKinds);
            available.Agent.Path.Address.Should().Be(((ExtendedActorSystem)clientNode).Provider.DefaultAddress);

            var session = CreateTestProbe();
            available.Agent.Tell(new RunJob("s1", "pc06", new JobSpec(SessionKind.DeployImage, JobRole.Single, "ubuntu", 1, 1, RepositoryName,
                TransferMethod.Unicast, new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60), "", null),
                session.Ref), session.Ref); // from the cluster side: a coordinator of this computer
            session.ExpectMsg<JobAccepted>(TimeSpan.FromSeconds(10));
            session.ExpectMsg<JobStarted>(TimeSpan.FromSeconds(30)).Path.Should().Be("update cache + restore");
            var finished = session.FishForMessage<JobFinished>(m => m is JobFinished, TimeSpan.FromSeconds(60));
            finished.Outcome.Should().Be(JobOutcome.Succeeded, finished.Error);
            session.Reply(new JobFinishedAck("s1", "pc06"));
            Tools.CheckExt4AndReadFiles(partition, Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
        }
        finally
        {
            await clientNode.Terminate();
        }
    }
}
