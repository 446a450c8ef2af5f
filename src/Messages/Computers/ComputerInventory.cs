namespace OgActors.Messages.Computers;

/// <summary>What a computer's agent reports about itself when it registers.</summary>
[Manifest("computer.inventory")]
public sealed record ComputerInventory(
    string Name,
    string Mac,
    string Ip,
    IReadOnlyList<PartitionInfo> Partitions,
    CacheInfo Cache) : IOgMessage;

/// <summary>One partition: its number on the disk, the device (or file in the lab), size and filesystem ("" when none is recognised).</summary>
[Manifest("computer.partition")]
public sealed record PartitionInfo(int Number, string Device, long SizeBytes, string Filesystem) : IOgMessage;

/// <summary>The computer's image cache: its directory, its capacity and the space still free in it. Capacity 0 = no cache.</summary>
[Manifest("computer.cache")]
public sealed record CacheInfo(string Directory, long CapacityBytes, long FreeBytes) : IOgMessage;
