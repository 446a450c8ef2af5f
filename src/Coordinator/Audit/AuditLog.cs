using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using OgActors.Messages.Audit;

namespace OgActors.Coordinator.Audit;

/// <summary>What an operator asks of the audit timeline; every filter is optional.</summary>
/// <param name="Repository">Only what concerns this repository (its imports and file deletions).</param>
public sealed record AuditFilter(string? Image = null, string? Classroom = null, string? Computer = null, DateTimeOffset? Since = null,
    string? Repository = null)
{
    public IReadOnlyList<string> Tags =>
    [
        .. Image is null ? Array.Empty<string>() : [AuditTags.Image(Image)],
        .. Classroom is null ? Array.Empty<string>() : [AuditTags.Classroom(Classroom)],
        .. Computer is null ? Array.Empty<string>() : [AuditTags.Computer(Computer)],
        .. Repository is null ? Array.Empty<string>() : [AuditTags.Repository(Repository)],
    ];

    public bool Matches(AuditEntry e) => Tags.All(e.Tags.Contains) && (Since is null || e.At >= Since);
}

/// <summary>
/// The audit read side: replays the journal by tag (CurrentEventsByTag) as a timeline, or follows it live
/// (EventsByTag). The most specific tag of the filter selects rows; the rest of the filter is applied to them.
/// </summary>
public sealed class AuditLog(ActorSystem system, string readJournalPluginId)
{
    private readonly SqlReadJournal _journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(readJournalPluginId);

    public async Task<IReadOnlyList<AuditEntry>> ReplayAsync(AuditFilter filter, CancellationToken cancel = default) =>
        await Entries(_journal.CurrentEventsByTag(Driver(filter), Offset.NoOffset()), filter)
            .RunWith(Sink.Seq<AuditEntry>(), system.Materializer())
            .WaitAsync(cancel);

    /// <summary>Every matching entry from <paramref name="after"/> on (0 = the beginning), live, until cancelled.</summary>
    public Source<AuditEntry, NotUsed> Follow(AuditFilter filter, long after = 0) =>
        Entries(_journal.EventsByTag(Driver(filter), after == 0 ? Offset.NoOffset() : Offset.Sequence(after)), filter);

    private static string Driver(AuditFilter filter) => filter.Tags.FirstOrDefault() ?? AuditTags.All;

    private static Source<AuditEntry, NotUsed> Entries(Source<EventEnvelope, NotUsed> envelopes, AuditFilter filter) =>
        envelopes
            .Where(e => e.Event is IAuditedEvent)
            .Select(e => AuditDescriber.Describe(e.Offset is Sequence s ? s.Value : 0, (IAuditedEvent)e.Event))
            .Where(filter.Matches);
}
