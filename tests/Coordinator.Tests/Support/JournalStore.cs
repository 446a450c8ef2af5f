using LinqToDB;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OgActors.Coordinator.Tests.Support;

/// <summary>A real journal database for one test: a fresh SQLite file, or a fresh schema in the test PostgreSQL.</summary>
public sealed class JournalStore : IDisposable
{
    private readonly string? _file;
    private readonly string? _schema;

    private JournalStore(string connectionString, string provider, string? schema, string? file)
    {
        ConnectionString = connectionString; ProviderName = provider; _schema = schema; _file = file;
    }

    public string ConnectionString { get; }
    public string ProviderName { get; }
    public string? Schema => _schema;

    /// <summary>The store as the coordinator configures its journal (<see cref="OgActors.Coordinator.Persistence.PersistenceSetup.WithOgPersistence"/>).</summary>
    public OgActors.Coordinator.Persistence.JournalSettings Settings => _file is not null
        ? new(OgActors.Coordinator.Persistence.JournalProvider.Sqlite, ConnectionString, ProviderName, null, _file, Wal: true)
        : new(OgActors.Coordinator.Persistence.JournalProvider.PostgreSql, ConnectionString, ProviderName, _schema, null, Wal: false);

    /// <summary>Runs one SQL statement on the store (its tables unqualified: the schema is the search path's first).</summary>
    public int Execute(string sql)
    {
        using var connection = _file is not null ? (System.Data.Common.DbConnection)new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = _schema is null ? sql : $"SET search_path TO {_schema}; {sql}";
        return command.ExecuteNonQuery();
    }

    // The last line: scripts/postgres.sh may print "Cluster is already running." before the connection string.
    public static string? PostgresConnectionString =>
        Environment.GetEnvironmentVariable("OG_TEST_POSTGRES")?.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();

    public static JournalStore Create(string kind) => kind switch
    {
        "sqlite" => Sqlite(),
        "postgres" => Postgres(),
        _ => throw new ArgumentException(kind),
    };

    public static JournalStore Sqlite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"og-coordinator-{Guid.NewGuid():N}.db");
        return new JournalStore($"Data Source={file}", LinqToDB.ProviderName.SQLiteMS, null, file);
    }

    public static JournalStore Postgres()
    {
        var cs = PostgresConnectionString
            ?? throw new InvalidOperationException("OG_TEST_POSTGRES is not set: export it from scripts/postgres.sh (test.sh does).");
        var schema = $"t_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(cs))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            create.ExecuteNonQuery();
        }
        return new JournalStore(cs, LinqToDB.ProviderName.PostgreSQL15, schema, null);
    }

    public void Dispose()
    {
        if (_file is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(f);
        }
        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }
}
