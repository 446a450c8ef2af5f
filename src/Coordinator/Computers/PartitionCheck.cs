using OgActors.Messages.Computers;

namespace OgActors.Coordinator.Computers;

/// <summary>
/// What a computer's reported inventory says about a partition a command names, before anything is sent to it: that the
/// partition exists, and that its filesystem can take an image of another. Pure rules; one sentence per refusal.
/// <para>Filesystems are compared by family (the seed: "you could not clone a Linux system onto an NTFS partition; format
/// it first"): NTFS, FAT (FAT12/16/32, vfat, EFI), exFAT, Linux (ext2/3/4, btrfs, xfs, reiserfs, jfs, f2fs), swap, HFS, UFS.
/// A side whose filesystem is not known — a blank or unrecognised partition (the inventory's ""), a raw image with no
/// filesystem, partition type DATA — is not refused: restoring onto it is how a new partition gets its first system.</para>
/// </summary>
public static class PartitionCheck
{
    /// <summary>A filesystem's family ("NTFS", "Linux", …), or null when it is unknown or none.</summary>
    public static string? Family(string? filesystem)
    {
        var f = (filesystem ?? "").Trim().ToUpperInvariant();
        if (f.Length == 0 || f is "RAW" or "DATA" or "NONE" or "UNKNOWN") return null;
        if (f.StartsWith("NTFS", StringComparison.Ordinal)) return "NTFS";
        if (f.Contains("EXFAT", StringComparison.Ordinal)) return "exFAT";
        if (f.StartsWith("FAT", StringComparison.Ordinal) || f is "VFAT" or "MSDOS" or "EFI") return "FAT";
        if (f.StartsWith("EXT", StringComparison.Ordinal) || f.StartsWith("REISER", StringComparison.Ordinal)
            || f is "LINUX" or "BTRFS" or "XFS" or "JFS" or "F2FS") return "Linux";
        if (f is "SWAP" or "LINUX-SWAP") return "swap";
        if (f.StartsWith("HFS", StringComparison.Ordinal)) return "HFS";
        if (f.StartsWith("UFS", StringComparison.Ordinal)) return "UFS";
        return null;
    }

    /// <summary>The partition <paramref name="number"/> of the inventory, or a sentence saying the computer has none such.</summary>
    public static (PartitionInfo? Partition, string? Refusal) Find(ComputerInventory inventory, int number)
    {
        if (inventory.Partitions.FirstOrDefault(p => p.Number == number) is { } found) return (found, null);
        var have = inventory.Partitions.Select(p => p.Number).Order().ToList();
        return (null, have.Count == 0
            ? $"{inventory.Name} has no partition {number}: it reports no partitions at all."
            : $"{inventory.Name} has no partition {number}: it reports partition{(have.Count == 1 ? "" : "s")} {Join(have)}.");
    }

    /// <summary>
    /// A sentence when an image whose filesystem is <paramref name="imageFilesystem"/> cannot go onto
    /// <paramref name="target"/> of computer <paramref name="computer"/> (different families); null when it can or one side is unknown.
    /// </summary>
    public static string? CheckRestore(string image, string imageFilesystem, string computer, PartitionInfo target)
    {
        if (Family(imageFilesystem) is not { } imageFamily || Family(target.Filesystem) is not { } targetFamily || imageFamily == targetFamily) return null;
        return $"Image {image} holds filesystem {Describe(imageFilesystem, imageFamily)} but partition {target.Number} of {computer} holds " +
               $"{Describe(target.Filesystem, targetFamily)}: format the partition first or choose an image of its filesystem.";
    }

    /// <summary>A sentence when capturing <paramref name="source"/> would put another filesystem into an image defined as <paramref name="partitionType"/>.</summary>
    public static string? CheckCapture(string image, string partitionType, string computer, PartitionInfo source)
    {
        if (Family(partitionType) is not { } imageFamily || Family(source.Filesystem) is not { } sourceFamily || imageFamily == sourceFamily) return null;
        return $"Partition {source.Number} of {computer} holds filesystem {Describe(source.Filesystem, sourceFamily)} but image {image} is defined " +
               $"with partition type {partitionType}: capture it into an image defined for that filesystem.";
    }

    /// <summary>A sentence when the master's partition cannot be cloned onto a receiver's (different families).</summary>
    public static string? CheckClone(string master, PartitionInfo source, string computer, PartitionInfo target)
    {
        if (Family(source.Filesystem) is not { } sourceFamily || Family(target.Filesystem) is not { } targetFamily || sourceFamily == targetFamily) return null;
        return $"Partition {source.Number} of {master} holds filesystem {Describe(source.Filesystem, sourceFamily)} but partition {target.Number} of {computer} holds " +
               $"{Describe(target.Filesystem, targetFamily)}: format the partition first or clone a partition of its filesystem.";
    }

    /// <summary>"ext4 (Linux)", "NTFS": the filesystem as reported, with its family when the name does not say it.</summary>
    private static string Describe(string filesystem, string family)
    {
        var name = filesystem.Trim();
        return name.Equals(family, StringComparison.OrdinalIgnoreCase) ? name : $"{name} ({family})";
    }

    private static string Join(IReadOnlyList<int> numbers) =>
        numbers.Count == 1 ? $"{numbers[0]}" : $"{string.Join(", ", numbers.Take(numbers.Count - 1))} and {numbers[^1]}";
}
