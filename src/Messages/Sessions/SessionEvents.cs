using OgActors.Messages.Audit;

namespace OgActors.Messages.Sessions;

public interface ISessionEvent : IAuditedEvent
{
    string SessionId { get; }
}

/// <summary>Outcome of one computer's job.</summary>
public enum JobOutcome { Succeeded, Failed, Skipped, Cancelled }

/// <summary>Overall outcome of a session.</summary>
public enum SessionOutcome { Succeeded, PartlySucceeded, Failed, Cancelled }

[Manifest("session.created")]
public sealed record SessionCreated(string SessionId, SessionPlan Plan, string By, DateTimeOffset At) : ISessionEvent;

/// <summary>A computer began its job, on the path it chose (and why).</summary>
[Manifest("session.job-started")]
public sealed record ComputerJobStarted(
    string SessionId, string Computer, string Path, string Reason, string By, DateTimeOffset At) : ISessionEvent;

[Manifest("session.job-finished")]
public sealed record ComputerJobFinished(
    string SessionId, string Computer, JobOutcome Outcome, string Path, string Reason, long Bytes,
    TimeSpan Duration, string Error, string By, DateTimeOffset At, RestoredContent? Restored = null,
    long ResumedFrom = 0, int Attempt = 1) : ISessionEvent;

[Manifest("session.finished")]
public sealed record SessionFinished(
    string SessionId, SessionOutcome Outcome, int Succeeded, int Failed, int Skipped, string By, DateTimeOffset At)
    : ISessionEvent;
