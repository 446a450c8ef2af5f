using System.Security.Cryptography;
using Akka.Actor;
using Akka.Configuration;
using OgActors.Hosting.Serialization;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Multicast;
using OgActors.Multicast;

namespace OgActors.Repository.Tests.Multicast;

/// <summary>
/// The repository's multicast manager: one transfer per (session, classroom), each on its own port pair, and only of the
/// content the computers expect. (No receiver says ready here, so no sender starts: multicast runs only in the namespace tests.)
/// </summary>
public sealed class MulticastManagerTests() : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on")
    .WithFallback(ConfigurationFactory.ParseString(SerializationSetup.Hocon))), IDisposable
{
    private readonly string _images = Directory.CreateTempSubdirectory("og-mc-images-").FullName;

    private MulticastNodeSettings Settings => new("repo1", _images, "", 10, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(1));

    private string Image(string name)
    {
        var bytes = RandomNumberGenerator.GetBytes(4096);
        File.WriteAllBytes(Path.Combine(_images, name + ".img"), bytes);
        var sum = Convert.ToHexStringLower(MD5.HashData(bytes));
        File.WriteAllText(Path.Combine(_images, name + ".img.full.sum"), sum + "\n");
        return sum;
    }

    private JoinMulticast Join(string session, string classroom, string computer, string sum, int port = 9000, string group = "239.194.17.36") =>
        new(session, computer, classroom, "img", "", 1, sum, 4096, new MulticastSettings(port, group, DuplexMode.Full, 90, 0, 3600), 2, TestActor, TestActor);

    [Fact]
    public void Two_classrooms_at_once_get_their_own_transfers_on_different_ports_and_a_second_join_of_a_classroom_the_same_one()
    {
        var sum = Image("img");
        var manager = Sys.ActorOf(MulticastManagerActor.Props(Settings));

        manager.Tell(Join("s1", "aula1", "pc01", sum));
        var first = ExpectMsg<MulticastAdmitted>();
        first.Port.Should().Be(9000);
        first.Group.Should().Be("239.194.17.36");
        FishForMessage(m => m is MulticastStatus { Classroom: "aula1" });

        // Another classroom whose defaults name the same port: the next free even port.
        manager.Tell(Join("s1", "aula2", "pc11", sum, group: "239.194.17.37"));
        var second = ExpectMsg<MulticastAdmitted>(m => m.Computer == "pc11");
        second.Port.Should().Be(9002);
        second.Group.Should().Be("239.194.17.37");

        // A second computer of aula1 joins aula1's transfer.
        manager.Tell(Join("s1", "aula1", "pc02", sum));
        FishForMessage(m => m is MulticastAdmitted { Computer: "pc02" }).As<MulticastAdmitted>().Port.Should().Be(9000);
    }

    [Fact]
    public void A_join_for_content_this_repository_does_not_hold_is_told_to_catch_up_by_unicast()
    {
        Image("img");
        var manager = Sys.ActorOf(MulticastManagerActor.Props(Settings));
        manager.Tell(Join("s1", "aula1", "pc01", new string('0', 32)));
        var missed = FishForMessage(m => m is MulticastMissed).As<MulticastMissed>();
        missed.Reason.Should().Contain("is not the content the computers expect").And.Contain("unicast");
    }

    [Fact]
    public void A_computer_that_declines_is_counted_and_not_admitted()
    {
        var sum = Image("img");
        var manager = Sys.ActorOf(MulticastManagerActor.Props(Settings));
        manager.Tell(Join("s1", "aula1", "pc01", sum) with { Declined = "The cached copy is identical." });
        var status = FishForMessage(m => m is MulticastStatus).As<MulticastStatus>();
        status.Declined.Should().Equal("pc01");
        status.WaitingFor.Should().Be(1, "two computers in the classroom, one declined");
        status.Phase.Should().Be(MulticastPhase.Waiting);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_decline_that_arrives_first_knowing_no_content_does_not_stop_the_others_from_joining()
    {
        var sum = Image("img");
        var manager = Sys.ActorOf(MulticastManagerActor.Props(Settings));
        manager.Tell(Join("s1", "aula1", "pc01", "") with { Declined = "The cache check of img failed." });
        manager.Tell(Join("s1", "aula1", "pc02", sum));
        FishForMessage(m => m is MulticastAdmitted or MulticastMissed).Should().BeOfType<MulticastAdmitted>();
    }

    [Fact]
    public void A_computer_that_comes_back_to_a_transfer_that_ended_is_told_to_catch_up_and_no_second_transfer_starts()
    {
        var sum = Image("img");
        var manager = Sys.ActorOf(MulticastManagerActor.Props(Settings));
        manager.Tell(Join("s1", "aula1", "pc01", sum) with { Declined = "The cached copy is identical." });
        manager.Tell(Join("s1", "aula1", "pc02", sum) with { Declined = "The cached copy is identical." });
        FishForMessage(m => m is MulticastStatus { Phase: MulticastPhase.Done }, TimeSpan.FromSeconds(5));
        Thread.Sleep(500); // the ended transfer stops (nobody is in it)

        // pc01's node restarted and its job, sent again, joins: the transfer is over; a new one must not replace its record.
        manager.Tell(Join("s1", "aula1", "pc01", sum));
        var missed = FishForMessage(m => m is MulticastAdmitted or MulticastMissed, TimeSpan.FromSeconds(5)).Should().BeOfType<MulticastMissed>().Subject;
        missed.Reason.Should().Contain("had ended").And.Contain("unicast");
        manager.Tell(Join("s1", "aula1", "pc02", sum) with { Declined = "The cached copy is identical." });
        ExpectNoMsg(TimeSpan.FromMilliseconds(500)); // no status of a second, empty transfer
    }

    public new void Dispose()
    {
        base.Dispose();
        try { Directory.Delete(_images, true); } catch (IOException) { }
    }
}
