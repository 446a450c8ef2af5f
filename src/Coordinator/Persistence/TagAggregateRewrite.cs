using System.Data.Common;
using System.Text.RegularExpressions;
using LinqToDB.Interceptors;

namespace OgActors.Coordinator.Persistence;

/// <summary>
/// Every read of Akka.Persistence.Sql 1.5.73's query side (events by tag, all events, events by persistence id) fetches each
/// event's tags with <c>Sql.StringAggregate(tags.Where(t =&gt; t.OrderingId == row.Ordering), ";", t =&gt; t.TagValue)</c>.
/// linq2db 6.5.1 translates that filter into the aggregate instead of a WHERE:
/// <code>(SELECT GROUP_CONCAT(CASE WHEN t1.ordering_id = x.Ordering THEN t1.tag ELSE NULL END, ';') FROM tags t1)</code> on
/// SQLite, <code>(SELECT STRING_AGG(t1.tag, ';') FILTER (WHERE t1.ordering_id = x.Ordering) FROM tags t1)</code> on
/// PostgreSQL — so every event read scans the whole tag table (several rows per event): replaying a journal of N events
/// costs N × tag rows, the cause of the read side's and the audit's ≈ 200 events/s. This interceptor gives the database the
/// query the plugin means, with the filter as the subquery's WHERE (answered from the tag table's primary key, which starts
/// with ordering_id); the aggregate over the same rows gives the same tags.
/// </summary>
public sealed class TagAggregateRewrite : CommandInterceptor
{
    public static readonly TagAggregateRewrite Instance = new();

    // SQLite: GROUP_CONCAT(CASE WHEN [t1].[ordering_id] = [x_1].[Ordering] THEN [t1].[tag] ELSE NULL END, ';') FROM [tags] [t1]
    private static readonly Regex Sqlite = new(
        @"GROUP_CONCAT\(CASE\s+WHEN\s+(?<t>\[\w+\])\.(?<id>\[\w+\])\s*=\s*(?<outer>[^\s]+)\s+THEN\s+\k<t>\.(?<tag>\[\w+\])\s+ELSE\s+NULL\s+END,\s*(?<sep>'[^']*')\)(?<from>\s+FROM\s+(?:\[\w+\]\.)?\[\w+\]\s+\k<t>)(?=\s*\))",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // PostgreSQL: STRING_AGG(t1.tag, ';') FILTER (WHERE t1.ordering_id = x_1."Ordering") FROM schema.tags t1
    private static readonly Regex Postgres = new(
        @"STRING_AGG\((?<t>\w+)\.(?<tag>""?\w+""?),\s*(?<sep>'[^']*')\)\s+FILTER\s+\(WHERE\s+\k<t>\.(?<id>""?\w+""?)\s*=\s*(?<outer>[^\s)]+)\)(?<from>\s+FROM\s+(?:""?\w+""?\.)?""?\w+""?\s+\k<t>)(?=\s*\))",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>The SQL with each such aggregate's filter moved into its WHERE; other SQL unchanged.</summary>
    public static string Rewrite(string sql)
    {
        if (sql.Contains("GROUP_CONCAT(CASE", StringComparison.Ordinal))
            sql = Sqlite.Replace(sql, m => $"GROUP_CONCAT({m.Groups["t"]}.{m.Groups["tag"]}, {m.Groups["sep"]}){m.Groups["from"]} WHERE {m.Groups["t"]}.{m.Groups["id"]} = {m.Groups["outer"]}");
        if (sql.Contains("STRING_AGG(", StringComparison.Ordinal) && sql.Contains("FILTER (WHERE", StringComparison.Ordinal))
            sql = Postgres.Replace(sql, m => $"STRING_AGG({m.Groups["t"]}.{m.Groups["tag"]}, {m.Groups["sep"]}){m.Groups["from"]} WHERE {m.Groups["t"]}.{m.Groups["id"]} = {m.Groups["outer"]}");
        return sql;
    }

    public override DbCommand CommandInitialized(CommandEventData eventData, DbCommand command)
    {
        command.CommandText = Rewrite(command.CommandText);
        return command;
    }
}
