using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Computer;
using OgActors.ClientNode.Hosting;

namespace OgActors.ClientNode.Tests.Computer;

/// <summary>The inventory a computer sends: partitions with what was restored on them, and the cache's images with their sums.</summary>
public sealed class InventoryProbeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("og-inventory-").FullName;

    [Fact]
    public async Task Reports_partition_contents_from_the_ledger_and_cached_images_with_sums()
    {
        var partition = Path.Combine(_dir, "p1.img");
        await File.WriteAllBytesAsync(partition, new byte[4 << 20]);
        var cacheDir = Directory.CreateDirectory(Path.Combine(_dir, "cache")).FullName;
        var cache = new ImageCache(cacheDir, 64 << 20);
        cache.BeginPartial("win10", "0123456789abcdef0123456789abcdef");
        var bytes = new byte[3 << 20];
        Random.Shared.NextBytes(bytes);
        await File.WriteAllBytesAsync(cache.PartialPath("win10"), bytes);
        var fullSum = Convert.ToHexString(System.Security.Cryptography.MD5.HashData(bytes)).ToLowerInvariant();
        await cache.CommitAsync("win10", fullSum);

        var ledger = new PartitionLedger(Path.Combine(_dir, PartitionLedger.FileName));
        var at = DateTimeOffset.UtcNow;
        ledger.Record(1, "win10", 3, at);

        var computer = new ComputerSettings("pc09", null, null, [new PartitionSetting(1, partition, null)], cacheDir, 64 << 20, TimeSpan.FromSeconds(1));
        var inventory = InventoryProbe.Read(computer, "02:00:00:00:00:09", "127.0.0.1", ledger);

        inventory.Partitions.Should().ContainSingle().Which.Should().Match<OgActors.Messages.Computers.PartitionInfo>(p =>
            p.Image == "win10" && p.ImageRevision == 3 && p.DeployedAt == at && p.SizeBytes == 4 << 20);
        var cached = inventory.Cache.Images.Should().ContainSingle().Subject;
        cached.Name.Should().Be("win10");
        cached.SizeBytes.Should().Be(bytes.Length);
        cached.FullSum.Should().Be(fullSum);
        cached.Sum.Should().Be(Convert.ToHexString(System.Security.Cryptography.MD5.HashData(bytes.AsSpan(bytes.Length - (1 << 20)))).ToLowerInvariant());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
