using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Inspection;

/// <summary>
/// Everything inspection learns of one partition image from its head.
/// <see cref="OgLine"/> is OpenGnsys's <c>TOOL:COMPRESSOR:FS:SIZEKB</c>.
/// </summary>
public sealed record PartitionImageInfo(
    string? PartitionName,          // for image directories (e.g. "sda1", "d1p2"); null for a single file
    CloneTool Tool,
    Compressor Compressor,
    string Filesystem,              // as the image names it: EXTFS, NTFS, FAT32, ... ("" when unknown, e.g. raw with no FS)
    long DeviceSizeBytes,           // the source device size = minimum target partition size
    string ToolVersion,
    string FormatVersion,
    int BlockSize,
    long TotalBlocks,
    long UsedBlocks,
    long UsedBytes,
    string ChecksumMode,
    IReadOnlyList<string> Volumes,  // the files whose concatenation is the stream, in order
    long StoredSize)                // bytes on disk over all volumes
{
    public long RequiredSizeKiB => DeviceSizeBytes / 1024;

    public string OgLine => $"{ToolName}:{Compressor.ToString().ToUpperInvariant()}:{Filesystem}:{RequiredSizeKiB}";

    public string ToolName => Tool.ToString().ToUpperInvariant();

    /// <summary>Blocks covered by one stored checksum (partclone v2; 1 for v1; 0 when there are none).</summary>
    public int BlocksPerChecksum { get; init; }

    /// <summary>The integrity checks inspection ran and passed, e.g. "header CRC32", "bitmap CRC32", "bitmap used-block count".</summary>
    public IReadOnlyList<string> Verified { get; init; } = [];

    /// <summary>What could not be checked from the head (e.g. a bitmap larger than the inspection bound); empty when nothing was skipped.</summary>
    public string Unverified { get; init; } = "";
}
