using Microsoft.Data.Sqlite;
using Npgsql;
using OgActors.Coordinator.Persistence;

namespace OgActors.Bench.Journal;

/// <summary>
/// A journal database for one benchmark run: a fresh SQLite file (WAL) in the temp folder, or a fresh schema in the test
/// PostgreSQL (<c>OG_TEST_POSTGRES</c>, from scripts/postgres.sh). Removed on dispose unless kept.
/// </summary>
public sealed class BenchJournal : IDisposable
{
    private BenchJournal(JournalSettings settings, string? file, string? schema, string? adminConnection)
    {
        Settings = settings; File = file; Schema = schema; _admin = adminConnection;
    }

    private readonly string? _admin;

    public JournalSettings Settings { get; }
    public string? File { get; }
    public string? Schema { get; }
    public bool Keep { get; set; }
    public string Kind => Settings.Provider == JournalProvider.Sqlite ? "SQLite" : "PostgreSQL";

    /// <summary>The HOCON that points a coordinator node at this journal (og.coordinator.journal).</summary>
    public string CoordinatorHocon => Settings.Provider == JournalProvider.Sqlite
        ? $"og.coordinator.journal {{ provider = sqlite, sqlite.file = {Quote(File!)} }}"
        : $"og.coordinator.journal {{ provider = postgresql, postgresql {{ connection-string = {Quote(Settings.ConnectionString)}, schema = {Schema} }} }}";

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public static string? PostgresConnectionString =>
        Environment.GetEnvironmentVariable("OG_TEST_POSTGRES")?.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();

    public static BenchJournal Create(string kind) => kind switch
    {
        "sqlite" => Sqlite(),
        "postgresql" or "postgres" => Postgres(),
        _ => throw new ArgumentException($"The journal must be sqlite or postgresql, not '{kind}'."),
    };

    public static BenchJournal Sqlite(string? file = null)
    {
        file ??= Path.Combine(Path.GetTempPath(), $"og-journal-bench-{Guid.NewGuid():N}.db");
        using (var c = new SqliteConnection($"Data Source={file}"))
        {
            c.Open();
            using var p = c.CreateCommand();
            p.CommandText = "PRAGMA journal_mode=WAL;";
            p.ExecuteScalar();
        }
        return new BenchJournal(new JournalSettings(JournalProvider.Sqlite, $"Data Source={file};Default Timeout=30", LinqToDB.ProviderName.SQLiteMS,
            null, file, true), file, null, null);
    }

    public static BenchJournal Postgres(string? schema = null)
    {
        var cs = PostgresConnectionString
            ?? throw new InvalidOperationException("OG_TEST_POSTGRES is not set: export OG_TEST_POSTGRES=\"$(scripts/postgres.sh)\".");
        schema ??= $"bench_{Guid.NewGuid():N}"[..20];
        using (var connection = new NpgsqlConnection(cs))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS {schema}", connection);
            create.ExecuteNonQuery();
        }
        return new BenchJournal(new JournalSettings(JournalProvider.PostgreSql, cs, LinqToDB.ProviderName.PostgreSQL15, schema, null, false),
            null, schema, cs);
    }

    /// <summary>Rows in the journal and tag tables (a check that the history went through the plugin's tagging).</summary>
    public (long Events, long Tags) Count()
    {
        if (File is not null)
        {
            using var c = new SqliteConnection($"Data Source={File}");
            c.Open();
            return (Scalar(c, "SELECT COUNT(*) FROM journal"), Scalar(c, "SELECT COUNT(*) FROM tags"));
        }
        using var p = new NpgsqlConnection(_admin);
        p.Open();
        return (Scalar(p, $"SELECT COUNT(*) FROM {Schema}.journal"), Scalar(p, $"SELECT COUNT(*) FROM {Schema}.tags"));
    }

    /// <summary>The first <paramref name="count"/> rows' payloads as stored (bytes, serializer id, manifest).</summary>
    public IReadOnlyList<(byte[] Message, int Serializer, string Manifest)> Payloads(int count)
    {
        using var c = File is not null ? (System.Data.Common.DbConnection)new SqliteConnection($"Data Source={File}") : new NpgsqlConnection(_admin);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT message, identifier, manifest FROM {(Schema is null ? "" : Schema + ".")}journal ORDER BY ordering LIMIT {count}";
        using var reader = cmd.ExecuteReader();
        var rows = new List<(byte[], int, string)>(count);
        while (reader.Read()) rows.Add(((byte[])reader[0], reader.GetInt32(1), reader.IsDBNull(2) ? "" : reader.GetString(2)));
        return rows;
    }

    /// <summary>The offset of the read side's latest stored snapshot (0: none).</summary>
    public long ReadSideSnapshotOffset()
    {
        const string where = "persistence_id = 'read-side'";
        if (File is not null)
        {
            using var c = new SqliteConnection($"Data Source={File}");
            c.Open();
            return Scalar(c, $"SELECT COALESCE(MAX(sequence_number), 0) FROM snapshot WHERE {where}");
        }
        using var p = new NpgsqlConnection(_admin);
        p.Open();
        return Scalar(p, $"SELECT COALESCE(MAX(sequence_number), 0) FROM {Schema}.snapshot WHERE {where}");
    }

    private static long Scalar(System.Data.Common.DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    public void Dispose()
    {
        if (Keep) return;
        if (File is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { File, File + "-wal", File + "-shm" }) System.IO.File.Delete(f);
        }
        if (Schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(_admin);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }
}
