using Akka.Actor;
using Akka.TestKit;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Clone;
using OgActors.Messages.Common;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// Remote cloning's session rules, with TestProbes standing in for the computers' agents (the session, dispatcher, journal
/// and cluster are real): the session relays the master's offer to the receivers (with the master's address), and a master
/// that fails or goes offline fails every receiver at once with that reason, telling their computers to stop.
/// </summary>
public sealed class CloneRemoteSessionTests
{
    private static readonly SessionSettings Settings = new() { ResendInterval = TimeSpan.FromMilliseconds(400) };
    private static readonly string[] Kinds = [JobKinds.Of(SessionKind.CloneRemote, TransferMethod.Multicast), JobKinds.Of(SessionKind.CloneRemote, TransferMethod.Unicast)];

    private static async Task<(DomainHost Host, string Id, RunJob Master, TestProbe MasterAgent, RunJob[] Receivers, TestProbe[] ReceiverAgents)> StartAsync(JournalStore store)
    {
        var host = await DomainHost.StartAsync(store, Settings);
        await Scenario.DefineClassroomAsync(host.Domain, "lab", "10.1.2.0/24", "pc01", "pc02", "pc03");
        await Scenario.AnnounceRepositoryAsync(host);
        var agents = new[] { "pc01", "pc02", "pc03" }.Select(pc =>
        {
            var probe = host.Kit.CreateTestProbe();
            host.System.EventStream.Publish(new AgentAvailable(pc, probe.Ref, Kinds));
            return probe;
        }).ToArray();
        var reply = await host.Domain.Planner.StartAsync(new SessionRequest(SessionKind.CloneRemote, Classrooms: ["lab"], Partition: 1,
            Method: TransferMethod.Multicast, Master: "pc01", Source: "PART:1"), "alice");
        var id = reply.Should().BeOfType<Accepted>().Subject.Id!;
        var jobs = agents.Select(a => a.ExpectMsg<RunJob>(TimeSpan.FromSeconds(10))).ToArray();
        for (var i = 0; i < jobs.Length; i++) jobs[i].ReplyTo.Tell(new JobAccepted(id, jobs[i].Computer), agents[i].Ref);
        jobs[0].Spec.Role.Should().Be(JobRole.Master);
        jobs[1].Spec.Role.Should().Be(JobRole.Receiver);
        jobs[1].Spec.ClassroomComputers.Should().Be(2, "the master serves the two receivers of the scope");
        return (host, id, jobs[0], agents[0], jobs[1..], agents[1..]);
    }

    private static Task<SessionView> AwaitAsync(DomainHost host, string id, Func<SessionView, bool> condition, int seconds = 20) =>
        Polling.UntilAsync(() => host.Domain.SessionAsync(id), condition, $"Session {id}", seconds);

    private static CloneOffer Offer(string id, IActorRef master) =>
        new(id, "pc01", CloneSourceKind.Partition, "pc01-part1", 0, "PARTCLONE", "LZOP", "ext4", 256L << 20, "0123456789abcdef0123456789abcdef", 0,
            TransferMethod.Multicast, master, master, "", 0, "pc01's partition 1");

    [Fact]
    public async Task The_session_relays_the_masters_offer_to_a_receiver_that_asks_with_the_masters_address()
    {
        using var store = JournalStore.Sqlite();
        var (host, id, master, masterAgent, receivers, _) = await StartAsync(store);
        await using var _host = host;
        var receiver = host.Kit.CreateTestProbe();

        receivers[0].ReplyTo.Tell(new CloneJoinRequest(id, "pc02", receiver.Ref));
        receiver.ExpectNoMsg(TimeSpan.FromMilliseconds(500)); // the master has not offered yet: the receiver asks again later

        master.ReplyTo.Tell(new JobStarted(id, "pc01", "master PART:1 → multicast", "preparing"), masterAgent.Ref);
        master.ReplyTo.Tell(Offer(id, masterAgent.Ref), masterAgent.Ref);
        await Task.Delay(300);
        receivers[0].ReplyTo.Tell(new CloneJoinRequest(id, "pc02", receiver.Ref));
        var offer = receiver.ExpectMsg<CloneOffer>();
        offer.Computer.Should().Be("pc01");
        offer.Host.Should().Be("10.1.2.11", "the master's address from its classroom record, for the unicast fan-out");
        offer.Master.Should().Be(masterAgent.Ref);
    }

    [Fact]
    public async Task A_master_that_fails_fails_every_receiver_at_once_with_that_reason_and_stops_them()
    {
        using var store = JournalStore.Sqlite();
        var (host, id, master, masterAgent, receivers, receiverAgents) = await StartAsync(store);
        await using var _host = host;
        foreach (var (job, agent) in receivers.Zip(receiverAgents))
            job.ReplyTo.Tell(new JobStarted(id, job.Computer, "clone from pc01 by multicast", "waiting"), agent.Ref);
        master.ReplyTo.Tell(new JobStarted(id, "pc01", "master PART:1 → multicast", "preparing"), masterAgent.Ref);

        master.ReplyTo.Tell(new JobFinished(id, "pc01", JobOutcome.Failed, "master PART:1 → multicast", "preparing", 0, TimeSpan.FromSeconds(1),
            "partclone.ext4 failed: read error on the master's disk."), masterAgent.Ref);

        var view = await AwaitAsync(host, id, v => v.Outcome is not null);
        view.Outcome.Should().Be(SessionOutcome.Failed);
        foreach (var pc in new[] { "pc02", "pc03" })
        {
            var job = view.Jobs.Single(j => j.Computer == pc);
            job.Status.Should().Be(JobStatus.Failed);
            job.Error.Should().Be("The master pc01 failed: partclone.ext4 failed: read error on the master's disk.");
        }
        foreach (var agent in receiverAgents) agent.FishForMessage(m => m is CancelJob, TimeSpan.FromSeconds(5)); // their tools are stopped

        // A receiver that asks afterwards hears why.
        var late = host.Kit.CreateTestProbe();
        receivers[0].ReplyTo.Tell(new CloneJoinRequest(id, "pc02", late.Ref));
        late.ExpectMsg<CloneAborted>().Reason.Should().StartWith("The master pc01");
    }

    [Fact]
    public async Task A_master_that_goes_offline_mid_stream_fails_the_receivers_at_once()
    {
        using var store = JournalStore.Sqlite();
        var (host, id, master, masterAgent, receivers, receiverAgents) = await StartAsync(store);
        await using var _host = host;
        foreach (var (job, agent) in receivers.Zip(receiverAgents))
            job.ReplyTo.Tell(new JobStarted(id, job.Computer, "clone from pc01 by multicast", "receiving"), agent.Ref);
        master.ReplyTo.Tell(new JobStarted(id, "pc01", "master PART:1 → multicast", "serving"), masterAgent.Ref);
        await AwaitAsync(host, id, v => v.Jobs.All(j => j.Status == JobStatus.Running));

        host.System.EventStream.Publish(new AgentGone("pc01"));

        var view = await AwaitAsync(host, id, v => v.Jobs.Where(j => j.Role == JobRole.Receiver).All(j => j.Status == JobStatus.Failed), seconds: 5);
        view.Jobs.Single(j => j.Computer == "pc02").Error.Should().Be("The master pc01 went offline during the session (pc01 went offline during the job).");
        view.Jobs.Single(j => j.Computer == "pc01").Status.Should().NotBe(JobStatus.Failed, "the master's own job waits for its computer (the offline limit)");
    }
}
