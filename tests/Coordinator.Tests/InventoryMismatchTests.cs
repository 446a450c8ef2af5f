using OgActors.Coordinator.Computers;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Computers;

namespace OgActors.Coordinator.Tests;

/// <summary>The classroom's record of a computer against the computer's own report: MAC and cache size.</summary>
public sealed class InventoryMismatchTests
{
    private static ComputerInventory Reported(string mac, long cacheBytes) =>
        new("pc01", mac, "10.1.2.11", [], new CacheInfo("/opt/opengnsys/cache", cacheBytes, cacheBytes / 2));

    private static ComputerRecord Recorded(string mac, long cacheBytes) => new("pc01", "10.1.2.11", mac, "repo1", cacheBytes, []);

    [Fact]
    public void The_same_mac_written_otherwise_and_a_cache_within_5_percent_give_no_warning() =>
        InventoryMismatch.Warnings("lab", Recorded("02:0A:C7:00:00:01", 50L << 30), Reported("02-0a-c7-00-00-01", 49L << 30)).Should().BeEmpty();

    [Fact]
    public void Another_mac_and_another_cache_size_are_each_a_sentence()
    {
        var warnings = InventoryMismatch.Warnings("lab", Recorded("02:0a:c7:00:00:99", 50L << 30), Reported("02:0a:c7:00:00:01", 0));
        warnings.Should().Equal(
            "Classroom lab records MAC 02:0a:c7:00:00:99 for pc01, but the computer reports 02:0a:c7:00:00:01.",
            "Classroom lab records a cache of 50 GiB for pc01, but the computer reports no cache; the computer's own cache decides.");
    }
}
