using Npgsql;
using OgActors.Hosting.Configuration;
using static OgActors.Hosting.Configuration.OgConfiguration;

namespace OgActors.Lab;

/// <summary>
/// The lab's shared journal (<c>--journal postgresql</c>): the coordinators' HOCON for a PostgreSQL journal in a schema of
/// the lab's own (<c>lab_</c> + a hash of its data directory, created if missing), so labs and tests sharing one server
/// never read each other's events.
/// </summary>
public static class LabJournal
{
    public static async Task<string> PostgreSqlHoconAsync(string connectionString, string dataDir)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new SettingsException("--journal postgresql needs a server: --journal-connection or OG_JOURNAL_CONNECTION (./run.sh starts the local one with scripts/postgres.sh).");
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(dataDir))));
        var schema = "lab_" + hash[..12].ToLowerInvariant();
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS {schema}", db)) await create.ExecuteNonQueryAsync();
        return $$"""
            og.coordinator.journal {
              provider = postgresql
              postgresql { connection-string = {{Quote(connectionString)}}, schema = {{schema}} }
            }
            """;
    }
}
