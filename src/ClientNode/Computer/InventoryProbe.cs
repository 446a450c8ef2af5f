using System.Diagnostics;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Hosting;
using OgActors.Messages.Computers;

namespace OgActors.ClientNode.Computer;

/// <summary>
/// Reads the computer's inventory from the machine: each partition's size (file length or block-device size) and
/// filesystem (as configured, else <c>blkid</c>) and the image restored on it (the <see cref="PartitionLedger"/>), and the
/// cache's capacity, free space and contents with their sums.
/// </summary>
public static class InventoryProbe
{
    public static ComputerInventory Read(ComputerSettings computer, string mac, string ip, PartitionLedger? ledger = null)
    {
        var deployed = ledger?.Read() ?? new Dictionary<int, PartitionLedger.Entry>();
        return new(computer.Name, mac, ip,
            [.. computer.Partitions.Select(p => deployed.TryGetValue(p.Number, out var e)
                ? Partition(p) with { Image = e.Image, ImageRevision = e.Revision, DeployedAt = e.DeployedAt }
                : Partition(p))],
            Cache(computer));
    }

    public static PartitionInfo Partition(PartitionSetting p) =>
        new(p.Number, p.Device, SizeOf(p.Device), p.Filesystem ?? FilesystemOf(p.Device));

    /// <summary>Bytes of a regular file or a block device; 0 when it does not exist.</summary>
    public static long SizeOf(string device)
    {
        try
        {
            var info = new FileInfo(device);
            if (!info.Exists) return 0;
            if (!IsBlockDevice(device)) return info.Length;
            using var stream = new FileStream(device, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return stream.Seek(0, SeekOrigin.End);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static bool IsBlockDevice(string path) =>
        path.StartsWith("/dev/", StringComparison.Ordinal);

    /// <summary>The filesystem type blkid recognises ("ext4", "ntfs", "vfat", ...), or "" for none.</summary>
    public static string FilesystemOf(string device)
    {
        if (!File.Exists(device)) return "";
        try
        {
            using var blkid = Process.Start(new ProcessStartInfo("blkid", ["-p", "-o", "value", "-s", "TYPE", device])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (blkid is null) return "";
            var output = blkid.StandardOutput.ReadToEnd();
            blkid.WaitForExit(5000);
            return blkid.ExitCode == 0 ? output.Trim() : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return ""; // blkid not installed
        }
    }

    public static CacheInfo Cache(ComputerSettings computer)
    {
        if (computer.CacheCapacity <= 0 || string.IsNullOrEmpty(computer.CacheDir)) return new CacheInfo(computer.CacheDir, 0, 0);
        Directory.CreateDirectory(computer.CacheDir);
        var used = new DirectoryInfo(computer.CacheDir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        var diskFree = new DriveInfo(Path.GetPathRoot(computer.CacheDir)!).AvailableFreeSpace;
        try { diskFree = new DriveInfo(computer.CacheDir).AvailableFreeSpace; } catch (ArgumentException) { }
        var free = Math.Max(0, Math.Min(computer.CacheCapacity - used, diskFree));
        var images = new ImageCache(computer.CacheDir, computer.CacheCapacity).Contents()
            .Select(i => new CachedImageInfo(i.Name, i.SizeBytes, i.Sum, i.FullSum)).ToList();
        return new CacheInfo(computer.CacheDir, computer.CacheCapacity, free, images);
    }
}
