using OgActors.Imaging.Formats;
using OgActors.Imaging.Processes;

namespace OgActors.Imaging.Pipelines;

/// <summary>
/// The command lines of each <see cref="CloneTool"/>, as OpenGnsys and Clonezilla run them, writing the image to
/// stdout on capture and reading it from stdin on restore.
/// </summary>
public static class CloneToolCommands
{
    /// <summary>The partclone program for a filesystem type as blkid names it (partclone.extfs for ext2/3/4, …), or null.</summary>
    public static string? PartcloneFor(string filesystem) => filesystem.ToLowerInvariant() switch
    {
        "ext2" or "ext3" or "ext4" or "extfs" => "partclone.extfs",
        "ntfs" => "partclone.ntfs",
        "vfat" or "msdos" or "fat" or "fat12" or "fat16" or "fat32" => "partclone.fat",
        "exfat" => "partclone.exfat",
        "btrfs" => "partclone.btrfs",
        "xfs" => "partclone.xfs",
        "f2fs" => "partclone.f2fs",
        "nilfs2" => "partclone.nilfs2",
        "hfs" or "hfsplus" or "hfsp" => "partclone.hfsp",
        "reiserfs" => "partclone.reiserfs",
        "jfs" => "partclone.jfs",
        "ufs" => "partclone.ufs",
        "minix" => "partclone.minix",
        _ => null,
    };

    public static ToolCommand Capture(CloneTool tool, string filesystem, string source) => tool switch
    {
        CloneTool.Partclone => new ToolCommand(
            PartcloneFor(filesystem) ?? throw new PipelineRefusedException($"partclone cannot capture a {Display(filesystem)} filesystem; choose dd instead."),
            "-c", "-s", source, "-o", "-", "-L", "/dev/null"),
        CloneTool.Ntfsclone when IsNtfs(filesystem) => new ToolCommand("ntfsclone", "--save-image", "--output", "-", source),
        CloneTool.Ntfsclone => throw new PipelineRefusedException($"ntfsclone captures only NTFS, but {source} holds {Display(filesystem)}."),
        CloneTool.Partimage => new ToolCommand("partimage", "-M", "-f3", "-o", "-d", "-B", "gui=no", "-c", "-z0", "--volume=0", "save", source, "stdout"),
        CloneTool.Dd => new ToolCommand("dd", $"if={source}", "bs=4M", "status=none"),
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, "Unknown clone tool."),
    };

    public static ToolCommand Restore(CloneTool tool, string target) => tool switch
    {
        // -O: partclone refuses an existing regular file with -o; on a block device both mean "write here".
        CloneTool.Partclone => new ToolCommand("partclone.restore", "-s", "-", "-O", target, "-L", "/dev/null"),
        CloneTool.Ntfsclone => new ToolCommand("ntfsclone", "--restore-image", "--overwrite", target, "-"),
        CloneTool.Partimage => new ToolCommand("partimage", "-f3", "-B", "gui=no", "restore", target, "stdin"),
        CloneTool.Dd => new ToolCommand("dd", $"of={target}", "bs=4M", "iflag=fullblock", "conv=notrunc", "status=none"),
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, "Unknown clone tool."),
    };

    internal static bool IsNtfs(string filesystem) => filesystem.Equals("ntfs", StringComparison.OrdinalIgnoreCase);

    internal static string Display(string filesystem) => filesystem.Length == 0 ? "an unknown" : filesystem;
}
