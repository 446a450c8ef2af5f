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
/// The audit read side: replays the journal as a timeline, or follows it live. A filter's most specific tag selects rows
/// (CurrentEventsByTag / EventsByTag: a computer, an image, a classroom concern a small part of the journal); the rest of
/// the filter is applied to them. The whole timeline reads the journal in order (CurrentAllEvents / AllEvents) and keeps
/// the audited events: the plugin's tag query orders by the journal's ordering while it selects through the tag table, so
/// each of its batches sorts every remaining row carrying the tag — for the <c>audit</c> tag, that every event carries,
/// the rest of the journal per batch (quadratic); the ordered read is one range scan per batch.
/// </summary>
public sealed class AuditLog(ActorSystem system, string readJournalPluginId)
{
    // made on first use: the plugin's constructor waits (5 s at most) for the journal to have initialised its tables, which a
    // loaded machine's cold start can exceed; the node's services are built before that
    private readonly Lazy<SqlReadJournal> _read = new(() => PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(readJournalPluginId));
    private SqlReadJournal Journal => _read.Value;

    public async Task<IReadOnlyList<AuditEntry>> ReplayAsync(AuditFilter filter, CancellationToken cancel = default) =>
        await Entries(Driver(filter) is { } tag ? Journal.CurrentEventsByTag(tag, Offset.NoOffset()) : Journal.CurrentAllEvents(Offset.NoOffset()), filter)
            .RunWith(Sink.Seq<AuditEntry>(), system.Materializer())
            .WaitAsync(cancel);

    /// <summary>Every matching entry from <paramref name="after"/> on (0 = the beginning), live, until cancelled.</summary>
    public Source<AuditEntry, NotUsed> Follow(AuditFilter filter, long after = 0)
    {
        var from = after == 0 ? Offset.NoOffset() : Offset.Sequence(after);
        return Entries(Driver(filter) is { } tag ? Journal.EventsByTag(tag, from) : Journal.AllEvents(from), filter);
    }

    /// <summary>The tag that selects the rows, or null for the whole timeline.</summary>
    private static string? Driver(AuditFilter filter) => filter.Tags.FirstOrDefault();

    /// <summary>
    /// The entries of <paramref name="envelopes"/> that match. Handed over in groups across an asynchronous boundary, so the
    /// lines are described on one thread while the journal's next rows are read and deserialized on another.
    /// </summary>
    private static Source<AuditEntry, NotUsed> Entries(Source<EventEnvelope, NotUsed> envelopes, AuditFilter filter) =>
        envelopes
            .GroupedWithin(1000, TimeSpan.FromMilliseconds(10))
            .Async()
            .SelectMany(group => group
                .Where(e => e.Event is IAuditedEvent)
                .Select(e => AuditDescriber.Describe(e.Offset is Sequence s ? s.Value : 0, (IAuditedEvent)e.Event))
                .Where(filter.Matches));
}
