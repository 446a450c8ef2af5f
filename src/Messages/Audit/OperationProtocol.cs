namespace OgActors.Messages.Audit;

/// <summary>What an operator did to the cluster or to a repository's files (recorded by the coordinator's operations ledger).</summary>
/// <remarks><c>ApiRequest</c>: an API request refused to its operator (a viewer asking to change something).</remarks>
public enum OperationKind { ClusterLeave, ClusterDown, ImageImport, ImageFileDeletion, ApiRequest }

/// <summary>
/// How an operation ended: <c>Started</c> (a long one is under way; its end follows under the same id), <c>Done</c>,
/// <c>Refused</c> (nothing was done: a guard, a bad request, the repository said no) or <c>Failed</c> (it was tried and broke).
/// </summary>
public enum OperationOutcome { Started, Done, Refused, Failed }

/// <summary>Messages to the coordinator's operations ledger (a cluster singleton on the coordinators).</summary>
public interface IOperationLedgerMessage : IOgMessage;

/// <summary>
/// Record one step of an operation: who (the API caller's identity), what, on which target, with which outcome and
/// sentence. <paramref name="Images"/> names the image canonical names it concerns (for the audit's image filter),
/// <paramref name="Repository"/> the repository when there is one.
/// Reply: <see cref="Common.Accepted"/> (id = the operation id) once persisted, or <see cref="Common.Refused"/>.
/// </summary>
[Manifest("ops.record")]
public sealed record RecordOperation(
    string OperationId, OperationKind Kind, string Target, string Details, OperationOutcome Outcome, string Sentence,
    string By, string Repository = "", IReadOnlyList<string>? Images = null) : IOperationLedgerMessage;

/// <summary>Reply: <see cref="OperationLedgerView"/> — the operations under way and the <paramref name="Latest"/> latest steps.</summary>
[Manifest("ops.get")]
public sealed record GetOperations(int Latest = 50) : IOperationLedgerMessage;

/// <summary>One step of an operator's operation, persisted by the operations ledger and shown in the audit.</summary>
[Manifest("ops.recorded")]
public sealed record OperationRecorded(
    string OperationId, OperationKind Kind, string Target, string Details, OperationOutcome Outcome, string Sentence,
    string Repository, IReadOnlyList<string> Images, string By, DateTimeOffset At) : IAuditedEvent;

/// <summary>The ledger's state as the API sees it: operations started and not ended, the latest steps, and how many it holds.</summary>
[Manifest("ops.view")]
public sealed record OperationLedgerView(IReadOnlyList<OperationRecorded> UnderWay, IReadOnlyList<OperationRecorded> Latest, long Recorded)
    : IOgMessage;
