using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Text;
using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Inspection;

/// <summary>
/// partclone's image header and bitmap, format v1 ("0001", partclone &lt; 0.3) and v2 ("0002"), checked as partclone
/// checks them: v2 header CRC, bitmap CRC and the used-block count; v1 bitmap count and its "BiTmAgIc" trailer.
/// </summary>
internal static class PartcloneHeader
{
    public static ReadOnlySpan<byte> Magic => "partclone-image"u8;
    private static ReadOnlySpan<byte> BitmapMagicV1 => "BiTmAgIc"u8;
    private const int V1HeaderSize = 4160, V2HeaderSize = 110, V2CrcOffset = 106;
    private const int MaxBlockSize = 64 * 1024 * 1024;
    private const byte BitmapNone = 0x00, BitmapBit = 0x01, BitmapByte = 0x08;

    public static bool Matches(ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    /// <summary>Decoded bytes needed to check the header and the whole bitmap (0 if the head is too short to tell).</summary>
    public static long BytesWanted(ReadOnlySpan<byte> head)
    {
        if (head.Length < 64) return V1HeaderSize;
        string version = Encoding.ASCII.GetString(head.Slice(30, 4));
        if (version == "0001")
            return V1HeaderSize + (long)BinaryPrimitives.ReadUInt64LittleEndian(head[48..]) + BitmapMagicV1.Length;
        if (version == "0002" && head.Length >= V2HeaderSize)
            return head[105] == BitmapNone ? V2HeaderSize : V2HeaderSize + BitmapBytes(BinaryPrimitives.ReadUInt64LittleEndian(head[60..])) + 4;
        return V2HeaderSize;
    }

    public static PartitionImageInfo Parse(ReadOnlySpan<byte> head, HeadContext ctx)
    {
        if (head.Length < 34) throw ctx.Short(head.Length, 34, "partclone header");
        string version = Encoding.ASCII.GetString(head.Slice(30, 4));
        return version switch
        {
            "0002" => ParseV2(head, ctx),
            "0001" => ParseV1(head, ctx),
            _ => throw ctx.Fail(30, $"unknown partclone image format version \"{Printable(head.Slice(30, 4))}\" (known: 0001, 0002)"),
        };
    }

    private static PartitionImageInfo ParseV2(ReadOnlySpan<byte> head, HeadContext ctx)
    {
        if (head.Length < V2HeaderSize) throw ctx.Short(head.Length, V2HeaderSize, "partclone v2 header");
        if (head[15] != 0) throw ctx.Fail(15, "the partclone v2 magic is not NUL-terminated");
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(head[V2CrcOffset..]);
        uint computedCrc = PartcloneCrc(head[..V2CrcOffset]);
        if (storedCrc != computedCrc)
            throw ctx.Fail(V2CrcOffset, $"the partclone header CRC is 0x{storedCrc:x8} but the header's bytes give 0x{computedCrc:x8}, so the header is corrupt");
        ushort endian = BinaryPrimitives.ReadUInt16LittleEndian(head[34..]);
        if (endian != 0xC0DE) throw ctx.Fail(34, $"the partclone image was made on a big-endian machine (byte-order mark 0x{endian:x4}), which is not supported");

        string toolVersion = CString(head.Slice(16, 14));
        string fs = CString(head.Slice(36, 16)).ToUpperInvariant();     // upper-cased, as OpenGnsys reports it
        long deviceSize = (long)BinaryPrimitives.ReadUInt64LittleEndian(head[52..]);
        long totalBlocks = (long)BinaryPrimitives.ReadUInt64LittleEndian(head[60..]);
        long usedByBitmap = (long)BinaryPrimitives.ReadUInt64LittleEndian(head[76..]);
        int blockSize = BinaryPrimitives.ReadInt32LittleEndian(head[84..]);
        ushort binaryVersion = BinaryPrimitives.ReadUInt16LittleEndian(head[92..]);
        ushort checksumMode = BinaryPrimitives.ReadUInt16LittleEndian(head[96..]);
        ushort checksumSize = BinaryPrimitives.ReadUInt16LittleEndian(head[98..]);
        uint blocksPerChecksum = BinaryPrimitives.ReadUInt32LittleEndian(head[100..]);
        bool reseed = head[104] != 0;
        byte bitmapMode = head[105];

        if (binaryVersion != 2) throw ctx.Fail(92, $"the partclone header says format 0002 in text but {binaryVersion} in binary");
        if (blockSize <= 0 || blockSize > MaxBlockSize || !BitOperations.IsPow2(blockSize))
            throw ctx.Fail(84, $"the partclone block size {blockSize} is not a power of two up to 64 MiB");
        if (totalBlocks < 0 || usedByBitmap < 0 || usedByBitmap > totalBlocks)
            throw ctx.Fail(76, $"the partclone header claims {usedByBitmap} used of {totalBlocks} blocks");
        var (modeName, expectedSize) = checksumMode switch
        {
            0x00 => ("NONE", 0),
            0x20 => ("CRC32", 4),
            0x30 => ("XXH64", 8),
            0x31 => ("XXH128", 16),
            _ => throw ctx.Fail(96, $"unknown partclone checksum mode 0x{checksumMode:x2}"),
        };
        if (checksumSize != expectedSize)
            throw ctx.Fail(98, $"the partclone checksum size {checksumSize} does not fit checksum mode {modeName}");

        var verified = new List<string> { "header CRC32" };
        string unverified = "";
        long bitmapEnd = V2HeaderSize;
        switch (bitmapMode)
        {
            case BitmapNone:
                if (usedByBitmap != totalBlocks) throw ctx.Fail(105, "the partclone image has no bitmap yet does not store every block");
                break;
            case BitmapBit:
                long bitmapBytes = BitmapBytes((ulong)totalBlocks);
                bitmapEnd = V2HeaderSize + bitmapBytes + 4;
                if (head.Length >= bitmapEnd)
                {
                    var bitmap = head.Slice(V2HeaderSize, (int)bitmapBytes);
                    uint stored = BinaryPrimitives.ReadUInt32LittleEndian(head[(V2HeaderSize + (int)bitmapBytes)..]);
                    uint computed = PartcloneCrc(bitmap);
                    if (stored != computed)
                        throw ctx.Fail(V2HeaderSize + bitmapBytes, $"the partclone bitmap CRC is 0x{stored:x8} but the bitmap gives 0x{computed:x8}, so the bitmap is corrupt");
                    long counted = CountBits(bitmap, totalBlocks);
                    if (counted != usedByBitmap)
                        throw ctx.Fail(V2HeaderSize, $"the partclone bitmap marks {counted} blocks used but the header says {usedByBitmap}");
                    verified.Add("bitmap CRC32");
                    verified.Add("bitmap used-block count");
                }
                else if (ctx.HeadIsWholeStream) throw ctx.Short(head.Length, bitmapEnd, "partclone bitmap");
                else unverified = $"bitmap CRC (the bitmap ends at byte {bitmapEnd}, beyond the {head.Length} bytes inspected)";
                break;
            default:
                throw ctx.Fail(105, $"partclone bitmap mode 0x{bitmapMode:x2} is not supported in a v2 image");
        }

        int bpc = checksumMode == 0 ? 0 : (int)blocksPerChecksum;
        if (checksumMode != 0 && bpc <= 0) throw ctx.Fail(100, "the partclone header has a checksum mode but zero blocks per checksum");
        long checksums = bpc == 0 ? 0 : (usedByBitmap + bpc - 1) / bpc;
        long streamLength = bitmapEnd + usedByBitmap * blockSize + checksums * checksumSize;
        CheckUncompressedLength(ctx, streamLength, null);

        string mode = bpc == 0 ? modeName : $"{modeName} every {bpc} blocks{(reseed ? "" : ", no reseed")}";
        return ctx.Info(CloneTool.Partclone, fs, deviceSize, toolVersion, "0002", blockSize, totalBlocks, usedByBitmap,
            usedByBitmap * blockSize, mode) with { BlocksPerChecksum = bpc, Verified = verified, Unverified = unverified };
    }

    private static PartitionImageInfo ParseV1(ReadOnlySpan<byte> head, HeadContext ctx)
    {
        if (head.Length < 64) throw ctx.Short(head.Length, 64, "partclone v1 header");
        string fs = CString(head.Slice(15, 15)).ToUpperInvariant();
        int blockSize = BinaryPrimitives.ReadInt32LittleEndian(head[36..]);
        long deviceSize = (long)BinaryPrimitives.ReadUInt64LittleEndian(head[40..]);
        long totalBlocks = (long)BinaryPrimitives.ReadUInt64LittleEndian(head[48..]);
        long usedBlocks = (long)BinaryPrimitives.ReadUInt64LittleEndian(head[56..]);
        if (blockSize <= 0 || blockSize > MaxBlockSize || !BitOperations.IsPow2(blockSize))
            throw ctx.Fail(36, $"the partclone block size {blockSize} is not a power of two up to 64 MiB");
        if (totalBlocks < 0 || usedBlocks < 0 || usedBlocks > totalBlocks)
            throw ctx.Fail(56, $"the partclone header claims {usedBlocks} used of {totalBlocks} blocks");

        var verified = new List<string>();
        string unverified = "";
        long bitmapEnd = V1HeaderSize + totalBlocks + BitmapMagicV1.Length;
        if (head.Length >= bitmapEnd)
        {
            var bitmap = head.Slice(V1HeaderSize, (int)totalBlocks);
            if (!head.Slice(V1HeaderSize + (int)totalBlocks, BitmapMagicV1.Length).SequenceEqual(BitmapMagicV1))
                throw ctx.Fail(V1HeaderSize + totalBlocks, "the partclone v1 bitmap is not followed by its BiTmAgIc marker, so it is corrupt");
            long counted = bitmap.Count((byte)1);
            if (counted != usedBlocks)
                throw ctx.Fail(V1HeaderSize, $"the partclone bitmap marks {counted} blocks used but the header says {usedBlocks}");
            verified.Add("bitmap marker");
            verified.Add("bitmap used-block count");
        }
        else if (ctx.HeadIsWholeStream) throw ctx.Short(head.Length, bitmapEnd, "partclone v1 bitmap");
        else unverified = $"bitmap (it ends at byte {bitmapEnd}, beyond the {head.Length} bytes inspected)";

        // v1 stores a 4-byte CRC after every block (8 bytes on old 64-bit builds).
        CheckUncompressedLength(ctx, bitmapEnd + usedBlocks * (blockSize + 4), bitmapEnd + usedBlocks * (blockSize + 8));
        return ctx.Info(CloneTool.Partclone, fs, deviceSize, "", "0001", blockSize, totalBlocks, usedBlocks,
            usedBlocks * blockSize, "CRC32_0001 every block") with { BlocksPerChecksum = 1, Verified = verified, Unverified = unverified };
    }

    private static void CheckUncompressedLength(HeadContext ctx, long expected, long? alternative) =>
        ctx.CheckLength(expected, alternative, "partclone header");

    /// <summary>partclone's CRC-32: the IEEE table, seed 0xFFFFFFFF and no final inversion (= the bitwise NOT of the usual CRC-32).</summary>
    internal static uint PartcloneCrc(ReadOnlySpan<byte> data) => ~Crc32.HashToUInt32(data);

    private static long BitmapBytes(ulong totalBlocks) => (long)((totalBlocks + 7) / 8);

    private static long CountBits(ReadOnlySpan<byte> bitmap, long totalBlocks)
    {
        long count = 0;
        int whole = (int)(totalBlocks / 8);
        var longs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bitmap[..(whole / 8 * 8)]);
        foreach (ulong l in longs) count += BitOperations.PopCount(l);
        for (int i = whole / 8 * 8; i < whole; i++) count += BitOperations.PopCount(bitmap[i]);
        int rest = (int)(totalBlocks % 8);
        if (rest > 0) count += BitOperations.PopCount((uint)(bitmap[whole] & ((1 << rest) - 1)));
        return count;
    }

    internal static string CString(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return Printable(nul < 0 ? field : field[..nul]);
    }

    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (byte b in bytes) sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        return sb.ToString().Trim();
    }
}
