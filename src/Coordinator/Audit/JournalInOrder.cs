using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;
using Akka.Util;
using LinqToDB;
using LinqToDB.Data;

namespace OgActors.Coordinator.Audit;

/// <summary>
/// The whole journal up to now, in its order, read straight from the journal table of Akka.Persistence.Sql (the table and
/// column names of its configuration, <c>akka.persistence.journal.sql.default</c>) and deserialized by the node's
/// serializers: one range scan per batch of rows, and nothing else.
/// <para>Hand-written because the plugin's own ordered read (<c>CurrentAllEvents</c>) fetches every row's tags with a
/// subquery on the tag table, which the audit does not need (<see cref="AuditTags.Of"/> derives them from the event): that
/// subquery is most of the read's cost, and kept the whole-timeline audit under 50,000 events/s (bench/journal-throughput.sh).</para>
/// </summary>
public sealed class JournalInOrder
{
    private readonly ActorSystem _system;
    private readonly DataOptions _options;
    private readonly string _select, _max;

    public JournalInOrder(ActorSystem system, string journalPluginId = "akka.persistence.journal.sql")
    {
        _system = system;
        var plugin = system.Settings.Config.GetConfig(journalPluginId);
        _options = new DataOptions().UseConnectionString(plugin.GetString("provider-name"), plugin.GetString("connection-string"));
        var mapping = plugin.GetConfig("default");
        var schema = mapping.GetString("schema-name", null);
        var journal = mapping.GetConfig("journal");
        string Column(string name) => journal.GetString($"columns.{name}");
        var table = (string.IsNullOrWhiteSpace(schema) ? "" : schema + ".") + journal.GetString("table-name");
        var ordering = Column("ordering");
        _select = $"SELECT {ordering}, {Column("message")}, {Column("identifier")}, {Column("manifest")} FROM {table} " +
                  $"WHERE {ordering} > @after AND {ordering} <= @until AND {Column("deleted")} = @deleted ORDER BY {ordering} LIMIT @batch";
        _max = $"SELECT COALESCE(MAX({ordering}), 0) FROM {table}";
    }

    /// <summary>Every event written before the read began, with its ordering (the audit's offset), in batches of <paramref name="batch"/> rows.</summary>
    public Source<(long Ordering, object Event), NotUsed> Current(int batch = 5000) =>
        Source.FromTask(MaxOrderingAsync())
            .ConcatMany(until => Source.UnfoldAsync<long, IReadOnlyList<(long Ordering, object Event)>>(0L, async after =>
            {
                var rows = after >= until ? [] : await BatchAsync(after, until, batch);
                return rows.Count == 0 ? Option<(long, IReadOnlyList<(long, object)>)>.None : new Option<(long, IReadOnlyList<(long, object)>)>((rows[^1].Ordering, rows));
            }))
            .SelectMany(rows => rows);

    private async Task<long> MaxOrderingAsync()
    {
        await using var db = new DataConnection(_options);
        return await db.ExecuteAsync<long>(_max);
    }

    private async Task<IReadOnlyList<(long Ordering, object Event)>> BatchAsync(long after, long until, int batch)
    {
        await using var db = new DataConnection(_options);
        var rows = await db.QueryToListAsync(r => (Ordering: r.GetInt64(0), Message: (byte[])r[1], Serializer: r.GetInt32(2), Manifest: r.IsDBNull(3) ? "" : r.GetString(3)),
            _select, CancellationToken.None, new DataParameter("after", after), new DataParameter("until", until), new DataParameter("deleted", false),
            new DataParameter("batch", batch));
        var serialization = _system.Serialization;
        return [.. rows.Select(row => (row.Ordering, serialization.Deserialize(row.Message, row.Serializer, row.Manifest)))];
    }
}
