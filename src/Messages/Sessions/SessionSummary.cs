namespace OgActors.Messages.Sessions;

/// <summary>One line of <c>session list</c>.</summary>
[Manifest("session.summary")]
public sealed record SessionSummary(
    string SessionId, SessionKind Kind, string Image, TransferMethod Method, string By, DateTimeOffset CreatedAt,
    SessionOutcome? Outcome, int Computers, int Queued, int Running, int Succeeded, int Failed, int Skipped,
    int Cancelled = 0) : IOgMessage
{
    public static SessionSummary Of(SessionView v) => new(v.SessionId, v.Plan.Kind, v.Plan.Image, v.Plan.Method, v.By, v.CreatedAt, v.Outcome,
        v.Jobs.Count, Count(v, JobStatus.Queued) + Count(v, JobStatus.Waiting), Count(v, JobStatus.Running), Count(v, JobStatus.Succeeded), Count(v, JobStatus.Failed),
        Count(v, JobStatus.Skipped), Count(v, JobStatus.Cancelled));

    private static int Count(SessionView v, JobStatus s) => v.Jobs.Count(j => j.Status == s);
}
