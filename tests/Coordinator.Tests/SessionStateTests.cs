using OgActors.Coordinator.Sessions;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>The session's pure decisions: cancelling, the offline limit, the outcome.</summary>
public sealed class SessionStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static SessionState Session(params string[] computers)
    {
        var targets = computers.Select(c => new SessionTarget(c, "lab", "10.0.0.1", "00:11:22:33:44:55", "repo1", 0, JobRole.Single)).ToList();
        var parameters = new Dictionary<string, TransferParameters>
        {
            ["lab"] = new(new MulticastSettings(9000, "239.194.0.0", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60)),
        };
        var plan = new SessionPlan(SessionKind.Restore, "win11", 1, 1, "", TransferMethod.Unicast, "", null, targets, parameters);
        return SessionState.Create(new SessionCreated("s1", plan, "alice", T0));
    }

    [Fact]
    public void Cancelling_ends_every_unfinished_job_cancelled_by_whom_and_the_session_concludes_cancelled()
    {
        var s = Session("pc01", "pc02");
        s.Apply(new ComputerJobFinished("s1", "pc01", JobOutcome.Succeeded, "cache", "identical", 10, TimeSpan.FromSeconds(1), "", "computer:pc01", T0));
        s.Apply(new ComputerJobStarted("s1", "pc02", "direct", "no cache", "computer:pc02", T0));

        var events = s.Cancel("bob", T0.AddSeconds(30));
        events.Should().ContainSingle().Which.Should().Match<ComputerJobFinished>(e =>
            e.Computer == "pc02" && e.Outcome == JobOutcome.Cancelled && e.By == "bob" && e.Error == "Cancelled by bob." && e.Duration == TimeSpan.FromSeconds(30));
        foreach (var e in events) s.Apply(e);

        s.AllJobsEnded.Should().BeTrue();
        s.Job("pc02")!.Status.Should().Be(JobStatus.Cancelled);
        var finished = s.Conclude(T0.AddSeconds(31));
        finished.Outcome.Should().Be(SessionOutcome.Cancelled);
        finished.By.Should().Be("bob");
    }

    [Fact]
    public void A_start_applied_after_the_end_leaves_the_job_ended()
    {
        var s = Session("pc01");
        s.Apply(new ComputerJobFinished("s1", "pc01", JobOutcome.Succeeded, "cache", "already cached", 0, TimeSpan.Zero, "", "computer:pc01", T0));
        s.Apply(new ComputerJobStarted("s1", "pc01", "cache", "already cached", "computer:pc01", T0));

        s.Job("pc01")!.Status.Should().Be(JobStatus.Succeeded);
        s.AllJobsEnded.Should().BeTrue();
    }

    [Fact]
    public void An_offline_computer_shows_waiting_and_fails_once_the_limit_has_passed()
    {
        var s = Session("pc01", "pc02");
        s.Apply(new ComputerJobStarted("s1", "pc02", "direct", "no cache", "computer:pc02", T0));
        s.Offline("pc01", "pc01 is offline", T0);
        s.Offline("pc01", "pc01 is offline again", T0.AddMinutes(5)); // the first report's time and reason stay
        s.Offline("pc02", "pc02 went offline during the job", T0.AddMinutes(2));

        s.View().Jobs.Select(j => (j.Status, j.Waiting)).Should().Equal(
            (JobStatus.Waiting, "pc01 is offline"), (JobStatus.Waiting, "pc02 went offline during the job"));
        s.OfflineExpired(T0.AddMinutes(9), TimeSpan.FromMinutes(10)).Should().BeEmpty();
        s.OfflineExpired(T0.AddMinutes(10), TimeSpan.FromMinutes(10)).Should().ContainSingle()
            .Which.Should().Match<JobFinished>(f => f.Computer == "pc01" && f.Outcome == JobOutcome.Failed
                && f.Error == "pc01 was offline for 10 min (pc01 is offline).");

        s.Heard("pc02"); // it came back and answered
        s.View().Jobs[1].Status.Should().Be(JobStatus.Running);
        s.OfflineExpired(T0.AddHours(1), TimeSpan.FromMinutes(10)).Select(f => f.Computer).Should().Equal("pc01");
    }
}
