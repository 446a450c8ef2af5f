using OgActors.Messages.Audit;

namespace OgActors.Coordinator.Operations;

/// <summary>
/// The operations ledger's state (pure: decide → event → apply). It holds the operations started and not yet ended, the
/// latest steps (bounded), and how many steps it recorded. Rules: every step names who, what and a target; a refusal or a
/// failure says why; a <c>Started</c> id is new; an end closes its started operation, or stands alone for an operation decided
/// at once (e.g. a refused <c>cluster down</c>); nothing is ended twice. Long free text is cut, never refused: the audit must
/// record what happened even when an operator's input was absurd.
/// </summary>
public sealed record OperationLedgerState(
    IReadOnlyDictionary<string, OperationRecorded> UnderWay, IReadOnlyList<OperationRecorded> Latest, long Recorded)
{
    public const int LatestKept = 200;
    public const int MaxText = 4096;

    public static OperationLedgerState Empty { get; } = new(new Dictionary<string, OperationRecorded>(), [], 0);

    /// <summary>The event that records <paramref name="cmd"/> at <paramref name="at"/>, or the sentence saying why it cannot be recorded.</summary>
    public (OperationRecorded? Event, string? Refusal) Decide(RecordOperation cmd, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(cmd.OperationId)) return (null, "An operation needs an id.");
        if (string.IsNullOrWhiteSpace(cmd.By)) return (null, "An operation needs who did it.");
        if (string.IsNullOrWhiteSpace(cmd.Target)) return (null, "An operation needs its target.");
        if (cmd.Outcome is OperationOutcome.Refused or OperationOutcome.Failed && string.IsNullOrWhiteSpace(cmd.Sentence))
            return (null, $"A {cmd.Outcome.ToString().ToLowerInvariant()} operation needs the sentence saying why.");
        var started = UnderWay.GetValueOrDefault(cmd.OperationId);
        if (cmd.Outcome == OperationOutcome.Started)
        {
            if (started is not null || Ended(cmd.OperationId)) return (null, $"Operation {cmd.OperationId} was already started.");
        }
        else
        {
            if (Ended(cmd.OperationId)) return (null, $"Operation {cmd.OperationId} has already ended.");
            if (started is not null && started.Kind != cmd.Kind)
                return (null, $"Operation {cmd.OperationId} was started as {WithArticle(started.Kind)}; it cannot end as {WithArticle(cmd.Kind)}.");
        }
        return (new OperationRecorded(cmd.OperationId.Trim(), cmd.Kind, Cut(cmd.Target.Trim()), Cut(cmd.Details.Trim()), cmd.Outcome,
            // a List (not a collection expression's hidden type): the journal's resequencer messages must survive serialize-messages
            Cut(cmd.Sentence.Trim()), cmd.Repository.Trim(), (cmd.Images ?? []).Where(i => !string.IsNullOrWhiteSpace(i)).Distinct().ToList(),
            cmd.By.Trim(), at), null);
    }

    public OperationLedgerState Apply(OperationRecorded e)
    {
        var underWay = new Dictionary<string, OperationRecorded>(UnderWay);
        if (e.Outcome == OperationOutcome.Started) underWay[e.OperationId] = e;
        else underWay.Remove(e.OperationId);
        var latest = Latest.Count >= LatestKept ? Latest.Skip(Latest.Count - LatestKept + 1) : Latest;
        return new OperationLedgerState(underWay, [.. latest, e], Recorded + 1);
    }

    public OperationLedgerView View(int latest) =>
        new([.. UnderWay.Values.OrderBy(o => o.At)], [.. Latest.TakeLast(Math.Clamp(latest, 0, LatestKept))], Recorded);

    private bool Ended(string id) => Latest.Any(o => o.OperationId == id && o.Outcome != OperationOutcome.Started);

    private static string Cut(string text) => text.Length <= MaxText ? text : text[..(MaxText - 1)] + "…";

    private static string WithArticle(OperationKind kind) => Describe(kind) is var d && "aeiou".Contains(d[0]) ? "an " + d : "a " + d;

    public static string Describe(OperationKind kind) => kind switch
    {
        OperationKind.ClusterLeave => "cluster leave",
        OperationKind.ClusterDown => "cluster down",
        OperationKind.ImageImport => "image import",
        OperationKind.ImageFileDeletion => "image file deletion",
        OperationKind.ApiRequest => "api request",
        _ => kind.ToString(),
    };
}
