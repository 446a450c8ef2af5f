namespace OgActors.Messages.Sessions;

/// <summary>Waiting: the job's computer is offline (or not back since a coordinator restart); it fails after the session's offline limit.</summary>
public enum JobStatus { Queued, Running, Succeeded, Failed, Skipped, Waiting, Cancelled }

/// <summary>One computer's job as the session sees it now (progress fields are live, not persisted).</summary>
/// <param name="Waiting">Why a queued job has not started yet ("pc01 is busy with session …", "pc01 is offline").</param>
/// <param name="ResumedFrom">Where its download resumed (0 = not resumed); <paramref name="Attempt"/>: the attempt that ended it.</param>
[Manifest("session.job-view")]
public sealed record JobView(
    string Computer, string Classroom, JobRole Role, JobStatus Status, string Path, string Reason, string Waiting,
    long Bytes, long TotalBytes, double BytesPerSecond, TimeSpan? Eta, TimeSpan Duration, string Error,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, long ResumedFrom = 0, int Attempt = 1, int Peers = 0) : IOgMessage;

/// <param name="Multicast">The session's multicast transfers, one per classroom (live, as the senders last reported; empty for other methods).</param>
[Manifest("session.view")]
public sealed record SessionView(
    string SessionId, SessionPlan Plan, string By, DateTimeOffset CreatedAt, SessionOutcome? Outcome,
    DateTimeOffset? FinishedAt, IReadOnlyList<JobView> Jobs,
    IReadOnlyList<OgActors.Messages.Multicast.MulticastStatus>? Multicast = null) : IOgMessage;
