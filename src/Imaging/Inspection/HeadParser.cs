using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Inspection;

/// <summary>Recognises the clone tool from a decoded head and hands it to that tool's header parser.</summary>
internal static class HeadParser
{
    /// <summary>Decoded bytes to read first: enough to recognise the tool and read the ntfsclone and partclone headers.</summary>
    public const int InitialBytes = 4096;

    /// <summary>Upper bound on decoded bytes read to verify a partclone bitmap (a 2 TiB filesystem of 4 KiB blocks).</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>How many decoded bytes the parser wants, given the first ones (capped at <see cref="MaxBytes"/>).</summary>
    public static int BytesWanted(ReadOnlySpan<byte> head)
    {
        if (PartcloneHeader.Matches(head)) return (int)Math.Min(Math.Max(PartcloneHeader.BytesWanted(head), InitialBytes), MaxBytes);
        if (NtfscloneHeader.Matches(head)) return InitialBytes;
        if (PartimageHeader.Matches(head)) return PartimageHeader.BytesWanted;
        return RawFilesystemProbe.BytesWanted;      // raw: btrfs keeps its superblock at 64 KiB
    }

    public static PartitionImageInfo Parse(ReadOnlySpan<byte> head, HeadContext ctx)
    {
        if (head.Length == 0)
            throw ctx.HeadIsWholeStream
                ? ImageFormatException.In(ctx.Where, ctx.Compressed ? $"the {Name(ctx.Compressor)} stream decompresses to nothing" : "the image is empty")
                : ImageFormatException.In(ctx.Where, "the head given is empty");
        if (PartcloneHeader.Matches(head)) return PartcloneHeader.Parse(head, ctx);
        if (NtfscloneHeader.Matches(head)) return NtfscloneHeader.Parse(head, ctx);
        if (PartimageHeader.Matches(head)) return PartimageHeader.Parse(head, ctx);
        if (head.StartsWith("PaRtImAgE-VoLuMe"u8)) throw ctx.Fail(16, "the partimage magic is not NUL-terminated");
        return ParseRaw(head, ctx);
    }

    private static PartitionImageInfo ParseRaw(ReadOnlySpan<byte> head, HeadContext ctx)
    {
        var found = RawFilesystemProbe.Probe(head);
        if (found is null)
        {
            string content = ctx.Compressed ? $"its {Name(ctx.Compressor)} stream holds" : "it has";
            throw ImageFormatException.In(ctx.Where,
                $"not a recognised image: {content} no partclone, ntfsclone or partimage header and no filesystem at its start");
        }
        long deviceSize = found.SizeBytes;
        if (ctx.StreamLength is { } length)
        {
            if (length < found.SizeBytes)
                throw ImageFormatException.In(ctx.Where,
                    $"the image is truncated: it holds {length} bytes{(ctx.Compressed ? " once decompressed" : "")} but its {found.Filesystem} filesystem spans {found.SizeBytes}");
            deviceSize = length;      // a raw image is the whole partition, maybe larger than its filesystem
        }
        long totalBlocks = deviceSize / found.BlockSize;
        return ctx.Info(CloneTool.Dd, found.Filesystem, deviceSize, "", "raw", found.BlockSize, totalBlocks,
            Math.Min(found.UsedBlocks, totalBlocks), deviceSize, "NONE") with { Verified = [$"{found.Filesystem} superblock"] };
    }

    public static string Name(Compressor c) => c.ToString().ToLowerInvariant();
}
