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

    /// <param name="tags">This filter's <see cref="Tags"/>, computed once for a whole replay.</param>
    public bool Matches(AuditEntry e, IReadOnlyList<string> tags) => tags.All(e.Tags.Contains) && (Since is null || e.At >= Since);
}

/// <summary>
/// The audit read side: replays the journal as a timeline, or follows it live. A filter's most specific tag selects rows
/// (CurrentEventsByTag / EventsByTag: a computer, an image, a classroom concern a small part of the journal); the rest of
/// the filter is applied to them. The whole timeline reads the journal in order (<see cref="JournalInOrder"/> up to now,
/// AllEvents live) and keeps the audited events: the plugin's tag query orders by the journal's ordering while it selects
/// through the tag table, so each of its batches sorts every remaining row carrying the tag — for the <c>audit</c> tag, that
/// every event carries, the rest of the journal per batch (quadratic); the ordered read is one range scan per batch.
/// </summary>
public sealed class AuditLog(ActorSystem system, string readJournalPluginId)
{
    // made on first use: the plugin's constructor waits (5 s at most) for the journal to have initialised its tables, which a
    // loaded machine's cold start can exceed; the node's services are built before that
    private readonly Lazy<SqlReadJournal> _read = new(() => PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(readJournalPluginId));
    private SqlReadJournal Journal => _read.Value;
    private readonly Lazy<JournalInOrder> _inOrder = new(() => new JournalInOrder(system));

    /// <summary>The matching timeline up to now, in the journal's order.</summary>
    public Source<AuditEntry, NotUsed> Timeline(AuditFilter filter) => Groups(Current(filter), filter).SelectMany(group => group);

    public async Task<IReadOnlyList<AuditEntry>> ReplayAsync(AuditFilter filter, CancellationToken cancel = default) =>
        await Timeline(filter).RunWith(Sink.Seq<AuditEntry>(), system.Materializer()).WaitAsync(cancel);

    /// <summary>
    /// The matching timeline up to now written to <paramref name="output"/> as one JSON array, group by group as the journal is
    /// read (a campus's million entries are never held in memory at once); the number of entries written.
    /// </summary>
    public async Task<long> WriteJsonAsync(AuditFilter filter, Stream output, System.Text.Json.JsonSerializerOptions options, CancellationToken cancel = default)
    {
        // each group is serialized into memory, then written out asynchronously (Kestrel allows no synchronous writes)
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 16);
        await using var json = new System.Text.Json.Utf8JsonWriter(buffer);
        async Task WriteOutAsync()
        {
            json.Flush();
            await output.WriteAsync(buffer.WrittenMemory, cancel);
            buffer.ResetWrittenCount();
        }
        json.WriteStartArray();
        long written = 0;
        var (stop, done) = Groups(Current(filter), filter)
            .ViaMaterialized(KillSwitches.Single<IReadOnlyList<AuditEntry>>(), Keep.Right)
            .SelectAsync(1, async group =>
            {
                foreach (var entry in group) System.Text.Json.JsonSerializer.Serialize(json, entry, options);
                written += group.Count;
                await WriteOutAsync();
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(system.Materializer());
        await using (cancel.Register(() => stop.Abort(new OperationCanceledException(cancel))))
            await done;
        json.WriteEndArray();
        await WriteOutAsync();
        await output.FlushAsync(cancel);
        return written;
    }

    /// <summary>Every matching entry from <paramref name="after"/> on (0 = the beginning), live, until cancelled.</summary>
    public Source<AuditEntry, NotUsed> Follow(AuditFilter filter, long after = 0)
    {
        var from = after == 0 ? Offset.NoOffset() : Offset.Sequence(after);
        return Groups(Events(Driver(filter) is { } tag ? Journal.EventsByTag(tag, from) : Journal.AllEvents(from)), filter).SelectMany(group => group);
    }

    /// <summary>Up to now: a filter's rows through its tag, the whole timeline straight from the journal table (<see cref="JournalInOrder"/>).</summary>
    private Source<(long Offset, object Event), NotUsed> Current(AuditFilter filter) =>
        Driver(filter) is { } tag ? Events(Journal.CurrentEventsByTag(tag, Offset.NoOffset())) : _inOrder.Value.Current();

    private static Source<(long Offset, object Event), NotUsed> Events(Source<EventEnvelope, NotUsed> envelopes) =>
        envelopes.Select(e => (e.Offset is Sequence s ? s.Value : 0, e.Event));

    /// <summary>The tag that selects the rows, or null for the whole timeline.</summary>
    private static string? Driver(AuditFilter filter) => filter.Tags.FirstOrDefault();

    /// <summary>
    /// The entries of <paramref name="envelopes"/> that match, in groups and in order. Each group is described on a pool
    /// thread, two at a time, while the journal's next rows are read and deserialized: reading and describing use both cores.
    /// </summary>
    private static Source<IReadOnlyList<AuditEntry>, NotUsed> Groups(Source<(long Offset, object Event), NotUsed> envelopes, AuditFilter filter)
    {
        var tags = filter.Tags;
        return envelopes
            .GroupedWithin(2000, TimeSpan.FromMilliseconds(10))
            .SelectAsync(2, group => Task.Run(() => Describe(group, filter, tags)));
    }

    private static IReadOnlyList<AuditEntry> Describe(IEnumerable<(long Offset, object Event)> group, AuditFilter filter, IReadOnlyList<string> tags)
    {
        var entries = new List<AuditEntry>();
        foreach (var (offset, evt) in group)
        {
            if (evt is not IAuditedEvent audited) continue;
            var entry = AuditDescriber.Describe(offset, audited);
            if (filter.Matches(entry, tags)) entries.Add(entry);
        }
        return entries;
    }
}
