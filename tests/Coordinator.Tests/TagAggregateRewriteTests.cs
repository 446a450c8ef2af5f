using OgActors.Coordinator.Persistence;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// The rewrite of the query side's tag aggregate (<see cref="TagAggregateRewrite"/>): the SQL linq2db 6.5.1 makes for
/// Akka.Persistence.Sql 1.5.73's reads (copied from its trace, on SQLite and on PostgreSQL) gets the filter as the
/// subquery's WHERE; anything else passes unchanged.
/// </summary>
public sealed class TagAggregateRewriteTests
{
    [Fact]
    public void Sqlite_tag_aggregate_filters_in_its_where()
    {
        const string sql = """
            SELECT
            	[x_1].[Ordering],
            	[x_1].[PersistenceId],
            	(
            		SELECT
            			GROUP_CONCAT(CASE
            				WHEN [t1].[ordering_id] = [x_1].[Ordering] THEN [t1].[tag]
            				ELSE NULL
            			END, ';')
            		FROM
            			[tags] [t1]
            	)
            FROM
            	[journal] [x_1]
            WHERE
            	[x_1].[Ordering] > @offset
            """;
        var rewritten = TagAggregateRewrite.Rewrite(sql);
        Flat(rewritten).Should().Contain("(SELECT GROUP_CONCAT([t1].[tag], ';') FROM [tags] [t1] WHERE [t1].[ordering_id] = [x_1].[Ordering])");
        rewritten.Should().NotContain("CASE");
        Flat(rewritten).Should().EndWith("FROM [journal] [x_1] WHERE [x_1].[Ordering] > @offset", "the outer query is unchanged");
    }

    [Fact]
    public void Postgres_tag_aggregate_filters_in_its_where()
    {
        const string sql = """
            SELECT
            	x_1."Ordering",
            	(
            		SELECT
            			STRING_AGG(t1.tag, ';') FILTER (WHERE t1.ordering_id = x_1."Ordering")
            		FROM
            			og.tags t1
            	)
            FROM
            	og.journal x_1
            WHERE
            	x_1."Ordering" > :offset
            """;
        var rewritten = TagAggregateRewrite.Rewrite(sql);
        Flat(rewritten).Should().Contain("(SELECT STRING_AGG(t1.tag, ';') FROM og.tags t1 WHERE t1.ordering_id = x_1.\"Ordering\")");
        rewritten.Should().NotContain("FILTER");
    }

    [Fact]
    public void Each_of_several_aggregates_is_rewritten()
    {
        const string one = "(SELECT GROUP_CONCAT(CASE WHEN [t1].[ordering_id] = [a].[Ordering] THEN [t1].[tag] ELSE NULL END, ';') FROM [tags] [t1])";
        const string two = "(SELECT GROUP_CONCAT(CASE WHEN [t2].[ordering_id] = [b].[Ordering] THEN [t2].[tag] ELSE NULL END, ';') FROM [tags] [t2])";
        var rewritten = TagAggregateRewrite.Rewrite($"SELECT {one}, {two} FROM [journal] [a], [journal] [b]");
        rewritten.Should().Be("SELECT (SELECT GROUP_CONCAT([t1].[tag], ';') FROM [tags] [t1] WHERE [t1].[ordering_id] = [a].[Ordering]), "
            + "(SELECT GROUP_CONCAT([t2].[tag], ';') FROM [tags] [t2] WHERE [t2].[ordering_id] = [b].[Ordering]) FROM [journal] [a], [journal] [b]");
    }

    [Theory]
    [InlineData("SELECT [t].[tag] FROM [tags] [t] WHERE [t].[ordering_id] = @p")]
    [InlineData("INSERT INTO [journal] ([ordering]) VALUES (@p) RETURNING [ordering]")]
    // an aggregate that already filters in its WHERE, and one that does not compare the ordering
    [InlineData("SELECT (SELECT GROUP_CONCAT([t1].[tag], ';') FROM [tags] [t1] WHERE [t1].[ordering_id] = [x].[Ordering]) FROM [journal] [x]")]
    [InlineData("SELECT (SELECT GROUP_CONCAT(CASE WHEN [t1].[tag] LIKE 'a%' THEN [t1].[tag] ELSE NULL END, ';') FROM [tags] [t1]) FROM [journal] [x]")]
    [InlineData("SELECT STRING_AGG(t.tag, ';') FROM tags t GROUP BY t.ordering_id")]
    public void Other_sql_is_left_as_it_is(string sql) => TagAggregateRewrite.Rewrite(sql).Should().Be(sql);

    private static string Flat(string sql) => System.Text.RegularExpressions.Regex.Replace(sql, @"\s+", " ").Replace("( ", "(").Replace(" )", ")");
}
