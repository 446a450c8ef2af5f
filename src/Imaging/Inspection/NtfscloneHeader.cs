using System.Buffers.Binary;
using System.Numerics;
using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Inspection;

/// <summary>ntfsclone's "special image" header (format 10.x, little-endian), as `ntfsclone --save-image` writes it.</summary>
internal static class NtfscloneHeader
{
    public static ReadOnlySpan<byte> Magic => "\0ntfsclone-image"u8;
    private const int HeaderSize = 50;

    public static bool Matches(ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    public static PartitionImageInfo Parse(ReadOnlySpan<byte> head, HeadContext ctx)
    {
        if (head.Length < 18) throw ctx.Short(head.Length, HeaderSize, "ntfsclone header");
        byte major = head[16], minor = head[17];
        if (major != 10)
            throw ctx.Fail(16, $"unknown ntfsclone image format version {major}.{minor} (known: 10.x)");
        if (head.Length < HeaderSize) throw ctx.Short(head.Length, HeaderSize, "ntfsclone header");

        int clusterSize = BinaryPrimitives.ReadInt32LittleEndian(head[18..]);
        long deviceSize = BinaryPrimitives.ReadInt64LittleEndian(head[22..]);
        long clusters = BinaryPrimitives.ReadInt64LittleEndian(head[30..]);
        long inUse = BinaryPrimitives.ReadInt64LittleEndian(head[38..]);
        uint dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(head[46..]);

        if (clusterSize is < 256 or > 2 * 1024 * 1024 || !BitOperations.IsPow2(clusterSize))
            throw ctx.Fail(18, $"the ntfsclone cluster size {clusterSize} is not a power of two between 256 B and 2 MiB");
        if (deviceSize <= 0 || clusters <= 0 || clusters > deviceSize / clusterSize + 1)
            throw ctx.Fail(22, $"the ntfsclone header's {clusters} clusters of {clusterSize} bytes do not fit its device size {deviceSize}");
        if (inUse < 0 || inUse > clusters + 1)
            throw ctx.Fail(38, $"the ntfsclone header claims {inUse} clusters in use of {clusters}");
        if (dataOffset < HeaderSize || dataOffset > 4096)
            throw ctx.Fail(46, $"the ntfsclone image data offset {dataOffset} is implausible");

        // The image data is a command stream: 0 = skip clusters, 1 = one cluster follows.
        if (head.Length > dataOffset)
        {
            if (head[(int)dataOffset] > 1) throw ctx.Fail(dataOffset, $"the ntfsclone data starts with command {head[(int)dataOffset]} (expected 0 or 1), so it is corrupt");
        }
        else if (ctx.HeadIsWholeStream) throw ctx.Short(head.Length, dataOffset + 1, "ntfsclone image data");
        // Each stored cluster is a 1-byte command plus the cluster; gaps add 9 bytes each, so this is a lower bound.
        if (ctx.StreamLength is { } length && length < dataOffset + inUse * (long)(clusterSize + 1))
            throw ImageFormatException.In(ctx.Where, $"the image is truncated: it holds {length} bytes{(ctx.Compressed ? " once decompressed" : "")}, too few for the {inUse} clusters in use its ntfsclone header announces");

        return ctx.Info(CloneTool.Ntfsclone, "NTFS", deviceSize, "", $"{major}.{minor}", clusterSize, clusters, inUse,
            inUse * clusterSize, "NONE") with { Verified = ["header fields", "command stream start"] };
    }
}
