using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using OgActors.Coordinator.Repositories;
using OgActors.Hosting.Serialization;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;

namespace OgActors.Repository.Tests.Unicast;

/// <summary>
/// The upload secret goes only to cluster members with role repository: the harness's repository member got it (it
/// could not start otherwise); an ActorSystem that is not a member (as a computer is: remoting and ClusterClient only)
/// asking the coordinator's /user/upload-secrets directly gets nothing.
/// </summary>
public sealed class UploadSecretDistributionTests : RepositoryTestBase
{
    protected override bool StartRepository => false;

    [Fact]
    public void A_system_that_is_not_a_cluster_member_never_receives_the_secret()
    {
        Keys.Secrets.Should().ContainSingle().Which.Should().Equal(Uploads.Secret);

        var outsiderConfig = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """).WithFallback(ConfigurationFactory.ParseString(SerializationSetup.Hocon));
        using var outsider = ActorSystem.Create("ogactors-outsider", outsiderConfig);
        var kit = new Akka.TestKit.Xunit2.TestKit(outsider);
        var probe = kit.CreateTestProbe();
        var coordinator = Akka.Cluster.Cluster.Get(Sys).SelfAddress;
        var secrets = outsider.ActorSelection(new RootActorPath(coordinator) / "user" / UploadSecretActor.Name);

        // The selection reaches the coordinator (it answers Identify), yet the request is not answered.
        secrets.Tell(new Identify(1), probe.Ref);
        probe.ExpectMsg<ActorIdentity>(TimeSpan.FromSeconds(10)).Subject.Should().NotBeNull();
        secrets.Tell(new RequestUploadSecret("pc-with-root", probe.Ref), probe.Ref);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(2));

        kit.Shutdown();
    }
}
