using Akka.Actor;
using Akka.TestKit;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// Deployment sessions against computers' agents. Where no real client exists yet, a TestProbe stands in for a
/// computer's agent (the remote party); the session, dispatcher, journal and cluster are real.
/// </summary>
public sealed class SessionTests
{
    private static readonly SessionSettings Unicast = new()
    {
        ResendInterval = TimeSpan.FromMilliseconds(400),
    };

    private static readonly string[] RestoreKinds = [JobKinds.Of(SessionKind.Restore, TransferMethod.Unicast)];

    /// <summary>What this release's client announces (unicast only; a client with udpcast adds the multicast kinds).</summary>
    private static readonly string[] UnicastKinds = [.. JobKinds.Unicast];

    private static SessionRequest Restore(params string[] computers) =>
        new(SessionKind.Restore, Computers: computers, Image: "win11", Partition: 1, Method: TransferMethod.Unicast);

    private static TestProbe Agent(DomainHost host, string computer, params string[] kinds)
    {
        var probe = host.Kit.CreateTestProbe();
        host.System.EventStream.Publish(new AgentAvailable(computer, probe.Ref, kinds));
        return probe;
    }

    private static async Task<string> StartAsync(DomainHost host, SessionRequest request)
    {
        var reply = await host.Domain.Planner.StartAsync(request, "alice");
        return reply.Should().BeOfType<Accepted>().Subject.Id!;
    }

    private static Task<SessionView> AwaitSessionAsync(DomainHost host, string id, Func<SessionView, bool> condition, int seconds = 20) =>
        Polling.UntilAsync(() => host.Domain.SessionAsync(id), condition, $"Session {id}", seconds);

    /// <summary>
    /// The classroom once it shows what a session recorded: a job's partition record reaches the classroom right after the
    /// job's end is written, so it may trail the session's conclusion by a moment.
    /// </summary>
    private static Task<ClassroomView> AwaitClassroomAsync(DomainHost host, string name, Func<ClassroomView, bool> condition) =>
        Polling.UntilAsync(() => host.Domain.ClassroomAsync(name), condition, $"Classroom {name}");

    private static void Reply(RunJob job, TestProbe agent, params ISessionMessage[] messages)
    {
        foreach (var m in messages) job.ReplyTo.Tell(m, agent.Ref);
    }

    [Fact]
    public async Task A_multicast_job_for_agents_that_announce_only_unicast_fails_at_once_naming_what_they_lack()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, Unicast); // the coordinator's default settings: no static list
        await Scenario.DefineLabAsync(host, "pc01", "pc02");
        var pc01 = Agent(host, "pc01", UnicastKinds);
        var pc02 = Agent(host, "pc02", UnicastKinds);

        var id = await StartAsync(host, new SessionRequest(SessionKind.Restore, Classrooms: ["lab"], Image: "win11", Partition: 1,
            Method: TransferMethod.Multicast));

        var view = await AwaitSessionAsync(host, id, v => v.Outcome is not null);
        view.Outcome.Should().Be(SessionOutcome.Failed);
        view.Jobs.Should().HaveCount(2).And.OnlyContain(j => j.Status == JobStatus.Failed && j.Reason == "not available yet");
        view.Jobs[0].Error.Should().Be("Restoring by multicast cannot run on pc01: its agent does not announce Restore/Multicast " +
            "(multicast needs udpcast on the computer); it announces CloneRemote/Unicast, CreateImage/Unicast, DeployImage/Unicast, Restore/Unicast, UpdateCache/Unicast.");
        view.Jobs[1].Error.Should().StartWith("Restoring by multicast cannot run on pc02: its agent does not announce Restore/Multicast");
        view.Plan.ParametersByClassroom["lab"].Multicast.GroupAddress.Should().Be("239.194.1.2");
        pc01.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        pc02.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_multicast_job_goes_to_the_agent_that_announces_multicast_and_fails_on_the_one_that_does_not()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, Unicast);
        await Scenario.DefineLabAsync(host, "pc01", "pc02");
        var withUdpcast = Agent(host, "pc01", [.. UnicastKinds, JobKinds.Of(SessionKind.Restore, TransferMethod.Multicast)]);
        var without = Agent(host, "pc02", UnicastKinds);

        var id = await StartAsync(host, new SessionRequest(SessionKind.Restore, Classrooms: ["lab"], Image: "win11", Partition: 1,
            Method: TransferMethod.Multicast));

        var job = withUdpcast.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
        job.Spec.Should().Match<JobSpec>(s => s.Method == TransferMethod.Multicast && s.Kind == SessionKind.Restore && s.Multicast.GroupAddress == "239.194.1.2");
        Reply(job, withUdpcast, new JobAccepted(id, "pc01"));
        var view = await AwaitSessionAsync(host, id, v => v.Jobs[1].Status == JobStatus.Failed);
        view.Jobs[0].Status.Should().Be(JobStatus.Queued, "pc01 took the job");
        view.Jobs[1].Error.Should().StartWith("Restoring by multicast cannot run on pc02: its agent does not announce Restore/Multicast");
        without.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_job_the_agent_cannot_run_fails_clearly()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, Unicast);
        await Scenario.DefineLabAsync(host, "pc01");
        var agent = Agent(host, "pc01", JobKinds.Of(SessionKind.CreateImage, TransferMethod.Unicast)); // online, but does not restore

        var id = await StartAsync(host, Restore("pc01"));

        var view = await AwaitSessionAsync(host, id, v => v.Outcome is not null);
        view.Jobs.Single().Error.Should().Be("Restoring by unicast cannot run on pc01: its agent does not announce Restore/Unicast; it announces CreateImage/Unicast.");
        agent.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_computer_whose_runner_has_not_announced_gets_what_every_runner_runs_and_a_multicast_job_waits_for_its_announcement()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, Unicast);
        await Scenario.DefineLabAsync(host, "pc01", "pc02");
        var pc01 = Agent(host, "pc01"); // the registry's presence: where the agent is, not what it runs
        var pc02 = Agent(host, "pc02");

        // Unicast is what every runner runs: it goes at once.
        var unicast = await StartAsync(host, Restore("pc02"));
        pc02.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5)).SessionId.Should().Be(unicast);

        // Multicast waits until the runner says whether it can.
        var id = await StartAsync(host, new SessionRequest(SessionKind.Restore, Computers: ["pc01"], Image: "win11", Partition: 1,
            Method: TransferMethod.Multicast));
        var waiting = await AwaitSessionAsync(host, id, v => v.Jobs[0].Status == JobStatus.Waiting);
        waiting.Jobs[0].Waiting.Should().Be("pc01's agent has not announced yet whether it can run Restore/Multicast");
        pc01.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        host.System.EventStream.Publish(new AgentAvailable("pc01", pc01.Ref, [.. UnicastKinds, JobKinds.Of(SessionKind.Restore, TransferMethod.Multicast)]));
        var job = pc01.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
        job.Spec.Method.Should().Be(TransferMethod.Multicast);
        Reply(job, pc01, new JobAccepted(id, "pc01"), new JobFinished(id, "pc01", JobOutcome.Succeeded, "multicast", "joined", 10, TimeSpan.FromSeconds(1), ""));
        (await AwaitSessionAsync(host, id, v => v.Outcome is not null)).Outcome.Should().Be(SessionOutcome.Succeeded);

        // It goes away and comes back (the registry's presence only): what its runner announced still holds.
        host.System.EventStream.Publish(new AgentGone("pc01"));
        host.System.EventStream.Publish(new AgentAvailable("pc01", pc01.Ref, []));
        var again = await StartAsync(host, new SessionRequest(SessionKind.Restore, Computers: ["pc01"], Image: "win11", Partition: 1,
            Method: TransferMethod.Multicast));
        pc01.FishForMessage(m => m is RunJob r && r.SessionId == again, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Unacknowledged_jobs_are_resent_and_a_job_runs_to_success()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, Unicast);
        await Scenario.DefineLabAsync(host, "pc01");
        var agent = Agent(host, "pc01", RestoreKinds);

        var id = await StartAsync(host, Restore("pc01"));
        var first = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
        var again = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5)); // not acknowledged: sent again
        again.Should().BeEquivalentTo(first);
        first.Spec.Should().Match<JobSpec>(s => s.Image == "win11" && s.Partition == 1 && s.Repository == "repo1" && s.ImageRevision == 1);

        Reply(first, agent, new JobAccepted(id, "pc01"), new JobStarted(id, "pc01", "cache", "the cached copy is identical"),
            new JobProgress(id, "pc01", 512, 1024, 100, TimeSpan.FromSeconds(5)));
        var running = await AwaitSessionAsync(host, id, v => v.Jobs[0].Bytes == 512 && v.Jobs[0].Status == JobStatus.Running);
        agent.ReceiveWhile<RunJob>(TimeSpan.FromMilliseconds(200), m => m as RunJob); // a resend already in flight
        agent.ExpectNoMsg(TimeSpan.FromMilliseconds(1200)); // acknowledged: no more resends (3 resend intervals)
        running.Jobs[0].Status.Should().Be(JobStatus.Running);
        running.Jobs[0].TotalBytes.Should().Be(1024);

        Reply(first, agent, new JobFinished(id, "pc01", JobOutcome.Succeeded, "cache", "the cached copy is identical", 1024,
            TimeSpan.FromSeconds(3), ""));
        agent.ExpectMsg<JobFinishedAck>().Computer.Should().Be("pc01");

        var done = await AwaitSessionAsync(host, id, v => v.Outcome is not null);
        done.Outcome.Should().Be(SessionOutcome.Succeeded);
        done.Jobs[0].Should().Match<JobView>(j => j.Status == JobStatus.Succeeded && j.Path == "cache" && j.Bytes == 1024);
        await AwaitClassroomAsync(host, "lab",
            room => room.Computers[0].Partitions is [{ Partition: 1, Image: "win11", Revision: 1 } p] && p.SessionId == id);
    }

    [Fact]
    public async Task A_start_report_that_arrives_after_the_job_finished_does_not_reopen_it_and_the_session_concludes()
    {
        // A computer that decides at once (already cached, cache too small) sends JobStarted and JobFinished together; on
        // their way in they can overtake each other. Before the fix the late start was persisted after the end and put the
        // job back to Running, so the session (whose computer had its ack) never ended.
        using var store = JournalStore.Sqlite();
        string id;
        await using (var host = await DomainHost.StartAsync(store, Unicast))
        {
            await Scenario.DefineLabAsync(host, "pc01", "pc02");
            var pc01 = Agent(host, "pc01", RestoreKinds);
            var pc02 = Agent(host, "pc02", RestoreKinds);

            id = await StartAsync(host, Restore("pc01", "pc02"));
            var job1 = pc01.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
            var job2 = pc02.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
            Reply(job1, pc01, new JobFinished(id, "pc01", JobOutcome.Succeeded, "cache", "already cached", 0, TimeSpan.Zero, ""),
                new JobStarted(id, "pc01", "cache", "already cached"));
            Reply(job2, pc02, new JobAccepted(id, "pc02"), new JobFinished(id, "pc02", JobOutcome.Failed, "cache", "refused", 0, TimeSpan.Zero,
                "The cache is too small."), new JobStarted(id, "pc02", "cache", "refused"));

            var done = await AwaitSessionAsync(host, id, v => v.Outcome is not null, seconds: 10);
            done.Outcome.Should().Be(SessionOutcome.PartlySucceeded);
            done.Jobs.Select(j => j.Status).Should().Equal(JobStatus.Succeeded, JobStatus.Failed);
        }

        await using (var host = await DomainHost.StartAsync(store, Unicast)) // the journal replays to the same ends
        {
            var replayed = await host.Domain.SessionAsync(id);
            replayed!.Outcome.Should().Be(SessionOutcome.PartlySucceeded);
            replayed.Jobs.Select(j => j.Status).Should().Equal(JobStatus.Succeeded, JobStatus.Failed);
        }
    }

    [Fact]
    public async Task Cancelling_a_session_stops_its_running_job_drops_its_queued_one_and_records_who()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, Unicast);
        await Scenario.DefineLabAsync(host, "pc01", "pc02");
        var agent = Agent(host, "pc01", RestoreKinds);
        var other = await StartAsync(host, Restore("pc01")); // pc01 is busy with it: the cancelled session's job queues
        var busy = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
        Reply(busy, agent, new JobAccepted(other, "pc01"));

        var id = await StartAsync(host, Restore("pc01"));
        await AwaitSessionAsync(host, id, v => v.Jobs[0].Waiting.StartsWith("pc01 is busy"));

        // the queued one is dropped: it never reaches the computer
        (await host.Domain.AskAsync(new CancelSession(id, "bob"))).Should().BeOfType<Accepted>();
        var dropped = await AwaitSessionAsync(host, id, v => v.Outcome is not null);
        dropped.Outcome.Should().Be(SessionOutcome.Cancelled);
        dropped.Jobs.Should().ContainSingle(j => j.Status == JobStatus.Cancelled && j.Error == "Cancelled by bob.");

        // the running one is stopped on its computer
        (await host.Domain.AskAsync(new CancelSession(other, "alice"))).Should().BeOfType<Accepted>();
        agent.FishForMessage(m => m is CancelJob c && c.SessionId == other && c.Computer == "pc01", TimeSpan.FromSeconds(5));
        var stopped = await AwaitSessionAsync(host, other, v => v.Outcome is not null);
        stopped.Outcome.Should().Be(SessionOutcome.Cancelled);
        (await host.Domain.AskAsync(new CancelSession(other, "alice"))).Should().BeOfType<Refused>()
            .Which.Reason.Should().Be($"Session {other} has already ended (cancelled).");
        agent.ReceiveWhile(TimeSpan.FromMilliseconds(800), m => m).OfType<RunJob>().Should().NotContain(r => r.SessionId == id);

        // the agent's late report of the stopped job is acknowledged and changes nothing
        Reply(busy, agent, new JobFinished(other, "pc01", JobOutcome.Cancelled, "", "", 0, TimeSpan.Zero, "The job was cancelled."));
        (await host.Domain.SessionAsync(other))!.Jobs.Single().Error.Should().Be("Cancelled by alice.");
        var finished = await host.Domain.SessionAsync(other);
        finished!.Outcome.Should().Be(SessionOutcome.Cancelled);
    }

    [Fact]
    public async Task After_a_restart_a_job_whose_computer_is_not_back_waits_and_then_fails_instead_of_showing_running()
    {
        using var store = JournalStore.Sqlite();
        string id;
        await using (var host = await DomainHost.StartAsync(store, Unicast))
        {
            await Scenario.DefineLabAsync(host, "pc01");
            var pc01 = Agent(host, "pc01", RestoreKinds);
            id = await StartAsync(host, Restore("pc01") with { OfflineTimeoutSeconds = 3 });
            var job = pc01.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
            Reply(job, pc01, new JobAccepted(id, "pc01"), new JobStarted(id, "pc01", "direct", "no cache"));
            await AwaitSessionAsync(host, id, v => v.Jobs[0].Status == JobStatus.Running);
        }

        await using (var host = await DomainHost.StartAsync(store, Unicast))
        {
            await host.Domain.SessionAsync(id); // wakes it (remember-entities would too)
            var waiting = await AwaitSessionAsync(host, id, v => v.Jobs[0].Status == JobStatus.Waiting, seconds: 30);
            waiting.Jobs[0].Waiting.Should().BeOneOf("pc01 has not answered since the coordinator restarted", "pc01 is offline");
            var done = await AwaitSessionAsync(host, id, v => v.Outcome is not null, seconds: 30);
            done.Jobs[0].Status.Should().Be(JobStatus.Failed);
            done.Jobs[0].Error.Should().StartWith("pc01 was offline for 3 s");
        }
    }

    [Fact]
    public async Task An_image_linked_in_an_OU_sub_folder_is_sent_to_computers_with_its_folder()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, Unicast);
        await Scenario.DefineClassroomAsync(host.Domain, "lab", "10.1.2.0/24", "pc01");
        await Scenario.AnnounceRepositoryAsync(host);
        (await host.Domain.AskAsync(new Messages.Images.DefineImage("win11", "Windows 11", "W11", 1, "NTFS", "repo1", "lab", "bob"))).Should().BeOfType<Accepted>();
        (await host.Domain.AskAsync(new Messages.Images.LinkImageFile("win11", "repo1", "ou1", Scenario.Info, "sum", "full-1", "infohash", 1 << 20,
            DateTimeOffset.UtcNow))).Should().BeOfType<Accepted>();
        var agent = Agent(host, "pc01", RestoreKinds);

        await StartAsync(host, Restore("pc01"));
        agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5)).Spec.Should().Match<JobSpec>(s => s.Folder == "ou1" && s.Image == "win11" && s.Repository == "repo1");
    }

    [Fact]
    public async Task A_job_whose_computer_stays_offline_waits_then_fails_with_the_offline_limit()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, Unicast);
        await Scenario.DefineLabAsync(host, "pc01", "pc02");
        var agent = Agent(host, "pc02", RestoreKinds); // pc01 has no agent at all

        var id = await StartAsync(host, Restore("pc01", "pc02") with { OfflineTimeoutSeconds = 2 });
        var waiting = await AwaitSessionAsync(host, id, v => v.Jobs[0].Status == JobStatus.Waiting);
        waiting.Jobs[0].Waiting.Should().Be("pc01 is offline");

        // pc02 starts, then its agent goes away in the middle of the job: it ends within the limit too, not hanging forever
        var job = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
        Reply(job, agent, new JobAccepted(id, "pc02"), new JobStarted(id, "pc02", "direct", "no cache"));
        await AwaitSessionAsync(host, id, v => v.Jobs[1].Status == JobStatus.Running);
        host.System.EventStream.Publish(new AgentGone("pc02"));
        (await AwaitSessionAsync(host, id, v => v.Jobs[1].Status == JobStatus.Waiting)).Jobs[1].Waiting.Should().Be("pc02 went offline during the job");

        var done = await AwaitSessionAsync(host, id, v => v.Outcome is not null);
        done.Outcome.Should().Be(SessionOutcome.Failed);
        done.Jobs[0].Should().Match<JobView>(j => j.Status == JobStatus.Failed && j.Error == "pc01 was offline for 2 s (pc01 is offline).");
        done.Jobs[1].Should().Match<JobView>(j => j.Status == JobStatus.Failed && j.Error == "pc02 was offline for 2 s (pc02 went offline during the job).");
    }

    [Fact]
    public async Task Removing_a_computer_from_its_classroom_ends_its_pending_jobs_with_that_reason()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, Unicast);
        await Scenario.DefineLabAsync(host, "pc01", "pc02");
        var agent = Agent(host, "pc02", RestoreKinds); // pc01 has no agent: its job waits for it

        var id = await StartAsync(host, Restore("pc01", "pc02"));
        (await AwaitSessionAsync(host, id, v => v.Jobs[0].Status == JobStatus.Waiting)).Jobs[0].Waiting.Should().Be("pc01 is offline");
        var job = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));

        (await host.Domain.RemoveComputerAsync(new RemoveComputer("lab", "pc01", "carol"))).Should().BeOfType<Accepted>();
        (await AwaitSessionAsync(host, id, v => v.Jobs[0].Status == JobStatus.Failed)).Jobs[0].Error
            .Should().Be("pc01 was removed from classroom lab by carol.");

        Reply(job, agent, new JobAccepted(id, "pc02"), new JobStarted(id, "pc02", "direct", "no cache"),
            new JobFinished(id, "pc02", JobOutcome.Succeeded, "direct", "no cache", 10, TimeSpan.FromSeconds(1), ""));
        var done = await AwaitSessionAsync(host, id, v => v.Outcome is not null);
        done.Outcome.Should().Be(SessionOutcome.PartlySucceeded, "the other computer's job was not affected");
    }

    [Fact]
    public async Task A_second_session_for_a_busy_computer_is_queued_until_the_first_ends()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, Unicast);
        await Scenario.DefineLabAsync(host, "pc01");
        var agent = Agent(host, "pc01", RestoreKinds);

        var a = await StartAsync(host, Restore("pc01"));
        var jobA = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
        Reply(jobA, agent, new JobAccepted(a, "pc01"), new JobStarted(a, "pc01", "direct", "no cache"));

        var b = await StartAsync(host, Restore("pc01"));
        var waiting = await AwaitSessionAsync(host, b, v => v.Jobs[0].Waiting.Length > 0);
        waiting.Jobs[0].Status.Should().Be(JobStatus.Queued);
        waiting.Jobs[0].Waiting.Should().Be($"pc01 is busy with session {a}");
        // b's job does not reach the busy computer (a late resend of a's, sent before its acceptance arrived, may)
        agent.ReceiveWhile(TimeSpan.FromMilliseconds(800), m => m).OfType<RunJob>().Should().NotContain(r => r.SessionId == b);

        Reply(jobA, agent, new JobFinished(a, "pc01", JobOutcome.Failed, "direct", "no cache", 10, TimeSpan.FromSeconds(1), "disk error"));
        agent.ExpectMsg<JobFinishedAck>();
        var jobB = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
        jobB.SessionId.Should().Be(b);
        (await AwaitSessionAsync(host, a, v => v.Outcome is not null)).Outcome.Should().Be(SessionOutcome.Failed);
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_session_survives_a_coordinator_restart_midway_and_completes(string kind)
    {
        using var store = JournalStore.Create(kind);
        string id;
        await using (var host = await DomainHost.StartAsync(store, Unicast))
        {
            await Scenario.DefineLabAsync(host, "pc01", "pc02");
            var pc01 = Agent(host, "pc01", RestoreKinds);
            var pc02 = Agent(host, "pc02", RestoreKinds);

            id = await StartAsync(host, new SessionRequest(SessionKind.Restore, Classrooms: ["lab"], Image: "win11", Partition: 1,
                Method: TransferMethod.Unicast));
            var job1 = pc01.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
            var job2 = pc02.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
            Reply(job1, pc01, new JobAccepted(id, "pc01"), new JobStarted(id, "pc01", "cache", "identical copy"),
                new JobFinished(id, "pc01", JobOutcome.Succeeded, "cache", "identical copy", 100, TimeSpan.FromSeconds(2), ""));
            Reply(job2, pc02, new JobAccepted(id, "pc02"), new JobStarted(id, "pc02", "update cache", "new revision"));
            await AwaitSessionAsync(host, id, v => v.Jobs[0].Status == JobStatus.Succeeded && v.Jobs[1].Status == JobStatus.Running);
        }

        await using (var host = await DomainHost.StartAsync(store, Unicast))
        {
            // The computers re-register with the new coordinator; the remembered session sends its unfinished job again.
            var pc01 = Agent(host, "pc01", RestoreKinds);
            var pc02 = Agent(host, "pc02", RestoreKinds);
            var resent = pc02.ExpectMsg<RunJob>(TimeSpan.FromSeconds(30));
            resent.SessionId.Should().Be(id);
            pc01.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

            Reply(resent, pc02, new JobAccepted(id, "pc02"), new JobStarted(id, "pc02", "update cache", "new revision"),
                new JobFinished(id, "pc02", JobOutcome.Succeeded, "update cache", "new revision", 200, TimeSpan.FromSeconds(9), ""));
            var done = await AwaitSessionAsync(host, id, v => v.Outcome is not null);
            done.Outcome.Should().Be(SessionOutcome.Succeeded);
            done.Jobs.Select(j => (j.Computer, j.Status, j.Path, j.Bytes)).Should().Equal(
                ("pc01", JobStatus.Succeeded, "cache", 100L), ("pc02", JobStatus.Succeeded, "update cache", 200L));
            await AwaitClassroomAsync(host, "lab", room => room.Computers.All(c => c.Partitions is [{ Image: "win11" }]));
            (await host.Domain.ListSessionsAsync()).Select(s => s.SessionId).Should().Equal(id);
        }
    }
}
