namespace OgActors.Messages.Audit;

/// <summary>
/// Every persisted change of the coordinator's domain: who made it (the API token's identity, or
/// <c>repository:NAME</c> / <c>computer:NAME</c> for what nodes report) and when. The coordinator's
/// write event adapter tags these for the audit timeline.
/// </summary>
public interface IAuditedEvent : IOgMessage
{
    string By { get; }
    DateTimeOffset At { get; }
}

/// <summary>One line of the audit timeline, as replayed from the journal.</summary>
[Manifest("audit.entry")]
public sealed record AuditEntry(
    long Offset,
    DateTimeOffset At,
    string By,
    string Subject,      // "classroom lab-a", "image win11", "session 20261124-…"
    string Action,       // "defined", "computer added", "job finished", …
    string Details,
    IReadOnlyList<string> Tags) : IOgMessage;
