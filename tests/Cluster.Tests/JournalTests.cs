using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OgActors.ClientNode.Hosting;
using OgActors.Cluster.Tests.Support;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Hosting;
using OgActors.Hosting.Configuration;
using OgActors.Messages.Computers;
using static OgActors.Hosting.Configuration.OgConfiguration;

namespace OgActors.Cluster.Tests;

/// <summary>
/// The event journal: the computer registry (a persistent actor) keeps what it learned across a coordinator restart,
/// on the embedded SQLite file and on PostgreSQL, selected by configuration alone.
/// </summary>
public sealed class JournalTests : IDisposable
{
    private readonly string _dir = TestPaths.TempDir("journal");
    private readonly int _coordinatorPort = FreePort();

    [Fact]
    public async Task The_registry_survives_a_coordinator_restart_on_the_same_SQLite_file()
    {
        await RestartScenario("og.coordinator.journal.provider = sqlite");

        var file = Path.Combine(_dir, "coordinator", "journal.db");
        SqliteConnection.ClearAllPools();
        await using var db = new SqliteConnection($"Data Source={file}");
        await db.OpenAsync();
        (await Scalar(db, "PRAGMA journal_mode")).Should().Be("wal");
        Convert.ToInt64(await Scalar(db, "SELECT COUNT(*) FROM journal WHERE persistence_id = 'computer-registry'")).Should().BeGreaterThanOrEqualTo(2);
        Convert.ToInt64(await Scalar(db, "SELECT COUNT(*) FROM journal WHERE persistence_id = 'computer-registry' AND identifier <> 4201")).Should().Be(0,
            "events are written by the OgActors serializer, never Newtonsoft");
    }

    [Fact]
    public async Task The_registry_survives_a_coordinator_restart_on_PostgreSQL()
    {
        var cs = Environment.GetEnvironmentVariable("OG_TEST_POSTGRES");
        cs.Should().NotBeNullOrWhiteSpace("OG_TEST_POSTGRES must name the test PostgreSQL (test.sh exports it from scripts/postgres.sh)");
        var schema = $"og_test_{Guid.NewGuid():N}"[..20];
        await using var pg = new NpgsqlConnection(cs);
        await pg.OpenAsync();
        await Execute(pg, $"CREATE SCHEMA {schema}");
        try
        {
            await RestartScenario($"""
                og.coordinator.journal {"{"}
                  provider = postgresql
                  postgresql {"{"} connection-string = {Quote(cs!)}, schema = {schema} {"}"}
                {"}"}
                """);
            Convert.ToInt64(await Scalar(pg, $"SELECT COUNT(*) FROM {schema}.journal WHERE persistence_id = 'computer-registry'")).Should().BeGreaterThanOrEqualTo(2);
            File.Exists(Path.Combine(_dir, "coordinator", "journal.db")).Should().BeFalse("PostgreSQL replaces the SQLite file");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Execute(pg, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    /// <summary>
    /// pc-a registers and shuts down; pc-b stays up. The coordinator restarts on the same journal and address: it still
    /// knows pc-a (offline, with its inventory: only the journal can tell), and pc-b registers again by itself.
    /// </summary>
    private async Task RestartScenario(string journalHocon)
    {
        var coordinator = await StartCoordinator(journalHocon);
        var a = await StartClient("pc-a", 3);
        var b = await StartClient("pc-b", 5);
        await Eventually.Within(TimeSpan.FromSeconds(20), async () => (await Computers(coordinator)).Count(c => c.Online) == 2, "pc-a and pc-b registered");
        var inventoryA = (await Computers(coordinator)).Single(c => c.Name == "pc-a").Inventory;

        await a.DisposeAsync();
        await coordinator.DisposeAsync();
        SqliteConnection.ClearAllPools();

        coordinator = await StartCoordinator(journalHocon);
        try
        {
            var recovered = (await Computers(coordinator)).Single(c => c.Name == "pc-a");
            recovered.Online.Should().BeFalse();
            recovered.OfflineReason.Should().Be("not registered since the coordinator started");
            recovered.Inventory.Should().BeEquivalentTo(inventoryA);
            recovered.Inventory.Partitions.Select(p => p.SizeBytes).Should().Equal(3L << 20);

            await Eventually.Within(TimeSpan.FromSeconds(30), async () => (await Computers(coordinator)).SingleOrDefault(c => c.Name == "pc-b")?.Online == true,
                "pc-b registers again with the restarted coordinator");
        }
        finally
        {
            await b.DisposeAsync();
            await coordinator.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    private string CoordinatorAddress => $"akka.tcp://ogactors@127.0.0.1:{_coordinatorPort}";

    private Task<CoordinatorNode> StartCoordinator(string journalHocon) => CoordinatorNode.StartAsync(OgConfiguration.Build(NodeRole.Coordinator, null,
        journalHocon,
        $$"""
        og.node { hostname = "127.0.0.1", port = {{_coordinatorPort}}, data-dir = {{Quote(Path.Combine(_dir, "coordinator"))}} }
        og.tls.enabled = off
        og.coordinator.api { url = "http://127.0.0.1:0", token = "journal-test" }
        """,
        TestPaths.Strict));

    private async Task<ClientNodeHost> StartClient(string name, int partitionMiB)
    {
        var dataDir = Path.Combine(_dir, name);
        Directory.CreateDirectory(dataDir);
        var partition = Path.Combine(dataDir, "part1.img");
        await using (var f = File.Create(partition)) f.SetLength((long)partitionMiB << 20);
        return await ClientNodeHost.StartAsync(OgConfiguration.Build(NodeRole.Client, null,
            $$"""
            og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(dataDir)}} }
            og.tls.enabled = off
            og.cluster.seed-nodes = [{{Quote(CoordinatorAddress)}}]
            og.computer { name = {{name}}, mac = "02:00:00:00:00:0{{partitionMiB}}", ip = "127.0.0.1", register-retry = 1s
                          partitions = [{ number = 1, device = {{Quote(partition)}} }] }
            """,
            TestPaths.Strict));
    }

    private static async Task<IReadOnlyList<ComputerStatus>> Computers(CoordinatorNode coordinator)
    {
        var registry = coordinator.App.Services.GetRequiredService<IRequiredActor<ComputerRegistry>>().ActorRef;
        return (await registry.Ask<ComputerList>(new ListComputers(), TimeSpan.FromSeconds(10))).Computers;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<object?> Scalar(System.Data.Common.DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task Execute(System.Data.Common.DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
