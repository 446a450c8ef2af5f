using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Transfers;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Tests.Multicast;

/// <summary>A computer announces the multicast job kinds only when udpcast's receiver is installed.</summary>
public sealed class MulticastAnnouncementTests
{
    private static readonly string[] Multicast = ["Restore/Multicast", "DeployImage/Multicast", "UpdateCache/Multicast"];

    [Fact]
    public void With_udp_receiver_the_multicast_kinds_are_announced_and_without_it_they_are_not()
    {
        JobRunnerActor.KindsWith(udpcast: true).Should().Contain(Multicast).And.Contain(JobKinds.Of(SessionKind.Restore, TransferMethod.Unicast));
        JobRunnerActor.KindsWith(udpcast: false).Should().NotContain(Multicast).And.Contain(JobKinds.Of(SessionKind.Restore, TransferMethod.Unicast));
        MulticastReceiver.Available.Should().BeTrue("udpcast is installed on this machine");
        JobRunnerActor.SupportedJobKinds.Should().Contain(Multicast);
    }
}
