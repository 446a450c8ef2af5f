using System.Diagnostics;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Configuration;
using OgActors.Hosting.Serialization;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Multicast;
using OgActors.Multicast;

namespace OgActors.Repository.Tests.Multicast;

/// <summary>
/// The real udp-sender, run inside a namespace this test makes (a veth pair with a multicast route, nothing leaves it):
/// the session actor starts it when its receiver is ready and kills it when nobody is left to serve or when it stops.
/// </summary>
public sealed class MulticastSenderSupervisionTests : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private static int _next;
    private readonly string _ns = $"ogt-mcs-{Environment.ProcessId % 10000:x}{Interlocked.Increment(ref _next):x}";
    private readonly string _images = Directory.CreateTempSubdirectory("og-mc-sender-").FullName;

    public MulticastSenderSupervisionTests() : base(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on")
        .WithFallback(ConfigurationFactory.ParseString(SerializationSetup.Hocon)))
    {
        Ip("netns", "add", _ns);
        Ip("-n", _ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
        Ip("-n", _ns, "addr", "add", "10.253.0.1/24", "dev", "eth0");
        Ip("-n", _ns, "addr", "add", "10.253.0.2/24", "dev", "eth1");
        Ip("-n", _ns, "link", "set", "eth0", "up");
        Ip("-n", _ns, "link", "set", "eth1", "up");
        Ip("-n", _ns, "route", "add", "224.0.0.0/4", "dev", "eth0");
    }

    private (IActorRef Actor, Akka.TestKit.TestProbe Member) StartTransfer()
    {
        var bytes = RandomNumberGenerator.GetBytes(1 << 20);
        File.WriteAllBytes(Path.Combine(_images, "img.img"), bytes);
        var sum = Convert.ToHexStringLower(MD5.HashData(bytes));
        File.WriteAllText(Path.Combine(_images, "img.img.full.sum"), sum + "\n");
        var settings = new MulticastNodeSettings("repo1", _images, "eth0", 10, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(1))
        {
            Wrapper = ["ip", "netns", "exec", _ns],
        };
        var member = CreateTestProbe();
        var join = new JoinMulticast("s1", "pc01", "aula1", "img", "", 1, sum, bytes.Length,
            new MulticastSettings(9000, "239.194.253.1", DuplexMode.Full, 90, 1, 3600), 1, member.Ref, TestActor);
        var actor = Sys.ActorOf(MulticastSessionActor.Props(settings, join, 9000));
        actor.Tell(join, member.Ref);
        member.ExpectMsg<MulticastAdmitted>();
        actor.Tell(new MulticastReceiverReady("s1", "pc01"), member.Ref);
        FishForMessage(m => m is MulticastStatus { Phase: MulticastPhase.Sending }, TimeSpan.FromSeconds(10));
        AwaitCondition(() => Senders().Count == 1, TimeSpan.FromSeconds(10)); // it waits for its receiver, which never connects
        return (actor, member);
    }

    [Fact]
    public void When_its_only_receiver_leaves_the_sender_is_killed_and_the_transfer_ends()
    {
        var (actor, member) = StartTransfer();
        Watch(actor);
        actor.Tell(new MulticastMemberDone("s1", "pc01", false, "pc01's job was cancelled."), member.Ref);
        var done = FishForMessage(m => m is MulticastStatus { Phase: MulticastPhase.Done }, TimeSpan.FromSeconds(10)).As<MulticastStatus>();
        done.Note.Should().Contain("udp-sender was stopped");
        done.Dropped.Should().Equal("pc01");
        AwaitCondition(() => Senders().Count == 0, TimeSpan.FromSeconds(10));
        FishForMessage(m => m is Terminated t && t.ActorRef.Equals(actor), TimeSpan.FromSeconds(10)); // settled: it stops
    }

    [Fact]
    public void When_the_transfer_stops_the_sender_dies_with_it_and_the_receiver_is_told_to_catch_up()
    {
        var (actor, member) = StartTransfer();
        Sys.Stop(actor); // the repository node stops
        AwaitCondition(() => Senders().Count == 0, TimeSpan.FromSeconds(10));
        member.FishForMessage(m => m is MulticastMissed, TimeSpan.FromSeconds(10)).As<MulticastMissed>().Reason.Should().Contain("stopped");
    }

    private List<int> Senders()
    {
        var psi = new ProcessStartInfo("ip", $"netns pids {_ns}") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var pids = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        p.WaitForExit();
        return [.. pids.Where(pid => { try { return File.ReadAllText($"/proc/{pid}/comm").Trim() == "udp-sender"; } catch (IOException) { return false; } })];
    }

    private static void Ip(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)}: {err}");
    }

    public new void Dispose()
    {
        base.Dispose();
        foreach (var pid in Senders()) try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
        try { Ip("netns", "del", _ns); } catch (InvalidOperationException) { }
        try { Directory.Delete(_images, true); } catch (IOException) { }
    }
}
