using System.Text.Json;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Audit;
using OgActors.Coordinator.Sessions;
using OgActors.Ctl.Commands;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>A resumed job's end as the session view, the API's JSON, ogctl and the audit show it: "resumed at 37 MiB (attempt 2)".</summary>
public sealed class ResumedJobViewTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_session_view_ogctl_and_the_audit_say_where_a_job_resumed()
    {
        var plan = new SessionPlan(SessionKind.DeployImage, "ubuntu", 1, 1, "repo1", TransferMethod.Unicast, "", null,
            [new SessionTarget("pc03", "lab", "172.17.36.13", "52:54:00:00:00:03", "repo1", 1L << 30, JobRole.Single)],
            new Dictionary<string, TransferParameters>());
        var state = SessionState.Create(new SessionCreated("s1", plan, "alice", At));
        var finished = new ComputerJobFinished("s1", "pc03", JobOutcome.Succeeded, "update cache → restore",
            "Resumed at 37 MiB (attempt 2: 37 MiB fetched before, 11 MiB now); full sum verified.", 48L << 20, TimeSpan.FromSeconds(9), "",
            "computer:pc03", At, null, 37L << 20, 2);
        state.Apply(finished);
        var view = state.Job("pc03")!;
        (view.ResumedFrom, view.Attempt, view.Bytes).Should().Be((37L << 20, 2, 48L << 20));

        // ogctl reads the API's JSON into its own record and says it in the table and the watch.
        var job = JsonSerializer.Deserialize<SessionCommands.Job>(JsonSerializer.Serialize(view, DomainApi.Json), DomainApi.Json)!;
        job.Resumed.Should().Be("resumed at 37 MiB (attempt 2)");
        (job with { ResumedFrom = 0 }).Resumed.Should().BeEmpty();
        (job with { Attempt = 1 }).Resumed.Should().Be("resumed at 37 MiB", "another session's partial copy: this job's first attempt");

        AuditDescriber.Describe(7, finished).Details.Should().Be("pc03: update cache → restore, 48 MiB in 9 s, resumed at 37 MiB (attempt 2)");
    }
}
