using OgActors.Imaging.Processes;

namespace OgActors.Imaging.Pipelines;

/// <summary>Facts about a partition given as a block device or as a regular file holding a filesystem.</summary>
public static class Partition
{
    /// <summary>The size in bytes: the file's length, or the block device's size from /sys/class/block.</summary>
    public static long SizeOf(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new PipelineRefusedException($"The partition {path} does not exist.");
        var device = BlockDeviceName(path);
        if (device is null) return info.Length;
        var sectors = File.ReadAllText($"/sys/class/block/{device}/size").Trim();
        return long.Parse(sectors) * 512;
    }

    /// <summary>True when <paramref name="path"/> (after symlinks) is a block device listed in /sys/class/block.</summary>
    public static bool IsBlockDevice(string path) => BlockDeviceName(path) is not null;

    /// <summary>The filesystem type as blkid names it (ext4, ntfs, vfat, …), or null when blkid finds none.</summary>
    public static async Task<string?> DetectFilesystemAsync(string path, CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream();
        try
        {
            await ToolPipeline.RunAsync([new ToolCommand("blkid", "-p", "-o", "value", "-s", "TYPE", path)], null, output, null, cancellationToken);
        }
        catch (ToolFailedException failure) when (failure.ExitCode == 2)
        {
            return null; // blkid: nothing recognised
        }
        var type = System.Text.Encoding.UTF8.GetString(output.ToArray()).Trim();
        return type.Length == 0 ? null : type;
    }

    private static string? BlockDeviceName(string path)
    {
        var full = Path.GetFullPath(path);
        var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        if (!target.StartsWith("/dev/", StringComparison.Ordinal)) return null;
        var name = Path.GetFileName(target);
        return Directory.Exists($"/sys/class/block/{name}") ? name : null;
    }
}
