namespace OgActors.Messages.Computers;

/// <summary>What a computer's agent reports about itself when it registers.</summary>
[Manifest("computer.inventory")]
public sealed record ComputerInventory(
    string Name,
    string Mac,
    string Ip,
    IReadOnlyList<PartitionInfo> Partitions,
    CacheInfo Cache) : IOgMessage;

/// <summary>
/// One partition: its number on the disk, the device (or file in the lab), size and filesystem ("" when none is
/// recognised), and the image and revision restored on it (with when), as far as this computer knows ("" = unknown).
/// </summary>
[Manifest("computer.partition")]
public sealed record PartitionInfo(int Number, string Device, long SizeBytes, string Filesystem,
    string Image = "", int ImageRevision = 0, DateTimeOffset? DeployedAt = null) : IOgMessage;

/// <summary>
/// The computer's image cache: its directory, its capacity, the space still free in it, and the whole images it holds
/// with their sums. Capacity 0 = no cache.
/// </summary>
[Manifest("computer.cache")]
public sealed record CacheInfo(string Directory, long CapacityBytes, long FreeBytes, IReadOnlyList<CachedImageInfo>? Images = null) : IOgMessage;

/// <summary>An image in a computer's cache: canonical name, size, MD5 of the last MiB (.sum) and of the whole file (.full.sum).</summary>
[Manifest("computer.cached-image")]
public sealed record CachedImageInfo(string Name, long SizeBytes, string Sum, string FullSum) : IOgMessage;
