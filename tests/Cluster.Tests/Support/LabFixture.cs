using OgActors.Lab;

namespace OgActors.Cluster.Tests.Support;

/// <summary>One all-in-one lab (coordinator, repository, 3 computers) shared by the tests of a class.</summary>
public sealed class LabFixture : IAsyncLifetime
{
    public string DataDir { get; } = TestPaths.TempDir("lab");
    public AllInOneLab Lab { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Lab = await AllInOneLab.StartAsync(new LabOptions
        {
            DataDir = DataDir,
            Computers = 3,
            PartitionSize = 8 * LabOptions.MiB,
            CacheCapacity = 64 * LabOptions.MiB,
            CommonHocon = TestPaths.Strict,
            ReadyTimeout = TimeSpan.FromSeconds(45),
        });
    }

    public async Task DisposeAsync()
    {
        await Lab.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
