using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using Microsoft.Data.Sqlite;
using OgActors.Hosting.Configuration;

namespace OgActors.Coordinator.Persistence;

/// <summary>Akka.Persistence.Sql as the default journal and snapshot store, on SQLite or PostgreSQL by configuration alone.</summary>
public static class PersistenceSetup
{
    /// <summary>
    /// Configures the journal. <paramref name="journal"/> receives the journal builder, e.g. to add tagging
    /// write-event adapters (<c>j.AddWriteEventAdapter&lt;AuditTagger&gt;("audit", [typeof(IAuditedEvent)])</c>).
    /// </summary>
    public static AkkaConfigurationBuilder WithOgPersistence(this AkkaConfigurationBuilder builder, JournalSettings settings,
        Action<AkkaPersistenceJournalBuilder>? journal = null)
    {
        if (settings.Provider == JournalProvider.Sqlite) PrepareSqliteFile(settings);
        return builder.WithSqlPersistence(
            connectionString: settings.ConnectionString,
            providerName: settings.ProviderName,
            mode: PersistenceMode.Both,
            schemaName: settings.Schema,
            journalBuilder: journal,
            autoInitialize: true);
    }

    /// <summary>Creates the directory and switches the file to write-ahead logging once (the mode is stored in the file).</summary>
    private static void PrepareSqliteFile(JournalSettings settings)
    {
        var file = settings.SqliteFile!;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            if (!settings.Wal) return;
            using var connection = new SqliteConnection(settings.ConnectionString);
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL;";
            pragma.ExecuteScalar();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            throw new SettingsException($"Cannot open the journal file '{file}': {e.Message}");
        }
    }
}
