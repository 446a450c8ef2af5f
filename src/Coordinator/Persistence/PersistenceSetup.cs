using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
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
        builder.AddHocon(JournalTuning.Hocon(settings.Provider), HoconAddMode.Prepend);
        // The same connection, with the query side's tag aggregation fixed (TagAggregateRewrite); the HOCON keeps the provider
        // name and connection string, which the plugin also uses (e.g. for the indexes it creates with the tables).
        var options = new DataOptions().UseConnectionString(settings.ProviderName, settings.ConnectionString).UseInterceptor(TagAggregateRewrite.Instance);
        var setup = builder.Setups.OfType<MultiDataOptionsSetup>().FirstOrDefault();
        if (setup is null) builder.AddSetup(setup = new MultiDataOptionsSetup());
        foreach (var plugin in new[] { "akka.persistence.journal.sql", "akka.persistence.query.journal.sql", "akka.persistence.snapshot-store.sql" })
            setup.AddDataOptions(plugin, options);
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
