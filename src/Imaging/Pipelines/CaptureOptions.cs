using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Pipelines;

/// <summary>How to capture a partition. The defaults are OpenGnsys's: partclone and lzop.</summary>
public sealed record CaptureOptions
{
    public CloneTool Tool { get; init; } = CloneTool.Partclone;

    public Compressor Compressor { get; init; } = Compressor.Lzop;

    /// <summary>The partition's filesystem as blkid names it (ext4, ntfs, vfat, …); null to detect it with blkid.</summary>
    public string? Filesystem { get; init; }

    /// <summary>Run the filesystem's checker read-only first (e2fsck -n, ntfsfix -n, fsck.vfat -n) and refuse a dirty one.</summary>
    public bool CheckFilesystem { get; init; } = true;

    /// <summary>The compressor's level (e.g. 1–9, zstd 1–19); null for the compressor's default.</summary>
    public int? CompressionLevel { get; init; }
}
