using Akka.Configuration;
using OgActors.Hosting.Configuration;

namespace OgActors.Coordinator.Persistence;

public enum JournalProvider
{
    /// <summary>One SQLite file in the coordinator's data directory (the embedded default).</summary>
    Sqlite,
    /// <summary>A PostgreSQL database (several coordinators, production).</summary>
    PostgreSql,
}

/// <summary>Where the coordinator's event journal and snapshots live (<c>og.coordinator.journal</c>).</summary>
public sealed record JournalSettings(
    JournalProvider Provider,
    string ConnectionString,
    string ProviderName,
    string? Schema,
    string? SqliteFile,
    bool Wal)
{
    public static JournalSettings From(Config config, NodeSettings node)
    {
        var provider = config.GetString("og.coordinator.journal.provider", "sqlite").Trim().ToLowerInvariant();
        switch (provider)
        {
            case "sqlite":
            {
                var file = config.GetString("og.coordinator.journal.sqlite.file", "journal.db");
                var path = Path.GetFullPath(Path.Combine(node.DataDir, file));
                return new JournalSettings(JournalProvider.Sqlite, $"Data Source={path};Default Timeout=30",
                    LinqToDB.ProviderName.SQLiteMS, null, path, config.GetBoolean("og.coordinator.journal.sqlite.wal", true));
            }
            case "postgresql" or "postgres":
            {
                var cs = config.GetString("og.coordinator.journal.postgresql.connection-string", "");
                if (string.IsNullOrWhiteSpace(cs))
                    throw new SettingsException("The journal is PostgreSQL but og.coordinator.journal.postgresql.connection-string is empty; set --journal-connection.");
                try { _ = new Npgsql.NpgsqlConnectionStringBuilder(cs); }
                catch (ArgumentException e) { throw new SettingsException($"The PostgreSQL connection string is not valid: {e.Message}"); }
                var schema = config.GetString("og.coordinator.journal.postgresql.schema", "");
                return new JournalSettings(JournalProvider.PostgreSql, cs,
                    config.GetString("og.coordinator.journal.postgresql.provider-name", LinqToDB.ProviderName.PostgreSQL15),
                    string.IsNullOrWhiteSpace(schema) ? null : schema, null, false);
            }
            default:
                throw new SettingsException($"og.coordinator.journal.provider must be sqlite or postgresql, got '{provider}'.");
        }
    }

    /// <summary>Where the journal is, for logs and the operator (never the password).</summary>
    public string Describe() => Provider == JournalProvider.Sqlite
        ? $"SQLite {SqliteFile}"
        : $"PostgreSQL {DescribePostgres()}";

    private string DescribePostgres()
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"{b.Host}:{b.Port}/{b.Database}" + (Schema is null ? "" : $" schema {Schema}");
    }
}
