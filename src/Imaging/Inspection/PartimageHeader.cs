using System.Buffers.Binary;
using System.Text;
using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Inspection;

/// <summary>
/// partimage 0.6 images (found after decompression): the 512-byte volume header, the 16 KiB main header with its
/// checksum (the sum of its bytes as signed chars), and the local header with the block counts.
/// </summary>
internal static class PartimageHeader
{
    public static ReadOnlySpan<byte> Magic => "PaRtImAgE-VoLuMe\0"u8;
    private static ReadOnlySpan<byte> LocalHeaderMagic => "MAGIC-BEGIN-LOCALHEADER"u8;
    private const int VolumeHeaderSize = 512, MainHeaderSize = 16384, LocalHeaderFields = 40;
    private const int MainHeaderChecksumOffset = VolumeHeaderSize + MainHeaderSize;

    /// <summary>Bytes enough for the volume, main and local headers (plus MBR backups between them).</summary>
    public const int BytesWanted = 64 * 1024;

    public static bool Matches(ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    public static PartitionImageInfo Parse(ReadOnlySpan<byte> head, HeadContext ctx)
    {
        if (head.Length < VolumeHeaderSize) throw ctx.Short(head.Length, VolumeHeaderSize, "partimage volume header");
        string formatVersion = PartcloneHeader.CString(head.Slice(32, 64));
        if (!formatVersion.StartsWith("0.6.", StringComparison.Ordinal))
            throw ctx.Fail(32, $"unknown partimage image format version \"{formatVersion}\" (known: 0.6.x)");
        uint volumeNumber = BinaryPrimitives.ReadUInt32LittleEndian(head[96..]);
        if (volumeNumber != 0)
            throw ctx.Fail(96, $"this is volume {volumeNumber} of a partimage set, not its first volume");

        if (head.Length < MainHeaderChecksumOffset + 4) throw ctx.Short(head.Length, MainHeaderChecksumOffset + 4, "partimage main header");
        var main = head.Slice(VolumeHeaderSize, MainHeaderSize);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(head[MainHeaderChecksumOffset..]);
        uint computed = 0;
        foreach (byte b in main) computed += (uint)(sbyte)b;
        if (stored != computed)
            throw ctx.Fail(MainHeaderChecksumOffset, $"the partimage main header checksum is 0x{stored:x8} but its bytes give 0x{computed:x8}, so the header is corrupt");

        string fs = PartcloneHeader.CString(main[..512]).ToUpperInvariant();
        long partSize = BinaryPrimitives.ReadInt64LittleEndian(main[9592..]);
        string toolVersion = PartcloneHeader.CString(main.Slice(9728, 64));
        if (partSize <= 0) throw ctx.Fail(VolumeHeaderSize + 9592, $"the partimage partition size {partSize} is not positive");

        int local = head[(MainHeaderChecksumOffset + 4)..].IndexOf(LocalHeaderMagic);
        if (local < 0)
        {
            if (ctx.HeadIsWholeStream || head.Length >= BytesWanted)
                throw ctx.Fail(MainHeaderChecksumOffset + 4, "no partimage local header (MAGIC-BEGIN-LOCALHEADER) follows the main header");
            throw ctx.Short(head.Length, BytesWanted, "partimage local header");
        }
        int fields = MainHeaderChecksumOffset + 4 + local + LocalHeaderMagic.Length;
        if (head.Length < fields + LocalHeaderFields) throw ctx.Short(head.Length, fields + LocalHeaderFields, "partimage local header");
        long blockSize = BinaryPrimitives.ReadInt64LittleEndian(head[fields..]);
        long usedBlocks = BinaryPrimitives.ReadInt64LittleEndian(head[(fields + 8)..]);
        long blocks = BinaryPrimitives.ReadInt64LittleEndian(head[(fields + 16)..]);
        if (blockSize is <= 0 or > 64 * 1024 * 1024 || blocks <= 0 || usedBlocks < 0 || usedBlocks > blocks || blocks * blockSize > partSize + blockSize)
            throw ctx.Fail(fields, $"the partimage local header ({usedBlocks} used of {blocks} blocks of {blockSize} bytes) does not fit the partition size {partSize}");

        return ctx.Info(CloneTool.Partimage, fs, partSize, toolVersion, formatVersion, (int)blockSize, blocks, usedBlocks,
            usedBlocks * blockSize, "NONE") with { Verified = ["main header checksum", "local header fields"] };
    }
}
