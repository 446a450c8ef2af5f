using System.Buffers.Binary;
using System.IO.Hashing;
using OgActors.Imaging.Compression;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Progress;

namespace OgActors.Imaging.Verification;

/// <summary>
/// Deep verification: decompresses an image file completely and walks its clone tool's structure to the end —
/// partclone v2 (header, bitmap and its CRC, every CRC32 block checksum, exactly the used blocks, nothing after;
/// checksum modes the installed partclone cannot write, XXH64/XXH128, are refused as not verifiable),
/// partclone v1 (bitmap, every block and its CRC32_0001 checksum), ntfsclone (every cluster record up to the last
/// cluster), partimage (headers and their checksums, bitmap, every CHK CRC-32 of the data blocks, the tail; a
/// multi-volume set is decompressed completely) and raw dd (decompressed completely; at least as long as its
/// filesystem says).
/// Throws <see cref="ImageFormatException"/> with one sentence naming the damage and its offsets.
/// </summary>
public static class ImageVerifier
{
    private const int FileBuffer = 1024 * 1024;

    /// <summary>Verifies the file at <paramref name="path"/>; returns what inspection found of its head.</summary>
    public static PartitionImageInfo VerifyFile(string path, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Verify(ImageInspector.InspectFile(path), progress, cancellationToken);

    /// <summary>Verifies the image inspection found (its file, or every volume of its split set in order).</summary>
    public static PartitionImageInfo Verify(PartitionImageInfo info, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var file = info.Volumes.Count == 1
            ? new FileStream(info.Volumes[0], FileMode.Open, FileAccess.Read, FileShare.Read, FileBuffer, FileOptions.SequentialScan)
            : (Stream)new Volumes.VolumeSetStream(info.Volumes);
        return Verify(info, file, progress, cancellationToken);
    }

    /// <summary>
    /// Verifies the image inspection found from <paramref name="file"/>: the bytes of its file (or volume set) from
    /// the first, e.g. the blocks a one-pass reader also hashes for the sidecars. Progress counts the bytes read.
    /// </summary>
    public static PartitionImageInfo Verify(PartitionImageInfo info, Stream file, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        string where = Path.GetFileName(info.Volumes[0]);
        long size = info.StoredSize;
        var reporter = new ProgressReporter(progress, size);
        var counted = new ProgressStream(file, read =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            reporter.Report(read);
        });
        using var decoded = Decompression.Open(info.Compressor, counted, leaveOpen: true);
        var reader = new DecodedReader(decoded, () => counted.Position, where, info.Compressor != Compressor.None);
        switch (info.Tool)
        {
            case CloneTool.Partclone when info.FormatVersion == "0002": WalkPartcloneV2(reader); break;
            case CloneTool.Partclone: WalkPartcloneV1(reader, info); break;
            case CloneTool.Ntfsclone: WalkNtfsclone(reader); break;
            case CloneTool.Partimage when info.Volumes.Count == 1: WalkPartimage(reader); break;
            default: WalkToEnd(reader, info); break;
        }
        reporter.Report(size, force: true);
        return info;
    }

    private static void WalkPartcloneV2(DecodedReader r)
    {
        var head = r.Take(110, "partclone header");
        long totalBlocks = (long)BinaryPrimitives.ReadUInt64LittleEndian(head[60..]);
        long used = (long)BinaryPrimitives.ReadUInt64LittleEndian(head[76..]);
        int blockSize = BinaryPrimitives.ReadInt32LittleEndian(head[84..]);
        ushort checksumMode = BinaryPrimitives.ReadUInt16LittleEndian(head[96..]);
        int checksumSize = BinaryPrimitives.ReadUInt16LittleEndian(head[98..]);
        int perChecksum = checksumMode == 0 ? 0 : (int)BinaryPrimitives.ReadUInt32LittleEndian(head[100..]);
        bool reseed = head[104] != 0;
        if (head[105] == 0x01)
        {
            long bitmapBytes = (totalBlocks + 7) / 8;
            var crc = new Crc32();
            long counted = 0, seen = 0;
            r.Pass(bitmapBytes, "partclone bitmap", chunk =>
            {
                crc.Append(chunk);
                long bits = Math.Min((long)chunk.Length * 8, totalBlocks - seen);
                counted += CountBits(chunk, bits);
                seen += bits;
            });
            uint computed = ~crc.GetCurrentHashAsUInt32();
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(r.Take(4, "partclone bitmap CRC"));
            if (stored != computed)
                throw r.Damage($"the partclone bitmap CRC is 0x{stored:x8} but the bitmap gives 0x{computed:x8}, so the bitmap is corrupt");
            if (counted != used)
                throw r.Damage($"the partclone bitmap marks {counted} blocks used but the header says {used}");
        }

        if (checksumMode is not (0x00 or 0x20))
            throw r.Damage($"checksum mode {ChecksumModeName(checksumMode)} not verifiable: partclone {InstalledPartclone}, the one installed, writes only NONE and CRC32 block checksums, so this image is refused rather than passed unchecked");
        bool crc32 = checksumMode == 0x20;
        var blocks = new Crc32();
        long block = 0;
        while (block < used)
        {
            long group = perChecksum == 0 ? used - block : Math.Min(perChecksum, used - block);
            long groupStart = block;
            if (crc32)
                r.Pass(group * blockSize, "partclone block data", chunk => blocks.Append(chunk));
            else
                r.Pass(group * blockSize, "partclone block data", static _ => { });
            block += group;
            if (perChecksum == 0) break;
            var stored = r.Take(checksumSize, "partclone block checksum");
            if (crc32)
            {
                uint expected = ~blocks.GetCurrentHashAsUInt32();
                uint found = BinaryPrimitives.ReadUInt32LittleEndian(stored);
                if (found != expected)
                    throw r.Damage($"the CRC32 of partclone blocks {groupStart}–{block - 1} is 0x{expected:x8} but the image stores 0x{found:x8}, so their data is corrupt");
                if (reseed) blocks.Reset();
            }
        }
        r.ExpectEnd($"partclone image ({used} used blocks)");
    }

    /// <summary>
    /// partclone v1 ("0001", partclone &lt; 0.3): the 4160-byte header, a byte per block and "BiTmAgIc", then every
    /// used block followed by its checksum. v1's CRC32 is partclone's defective one (CRC32_0001): it runs over the
    /// block's first byte block-size times (the pointer was never advanced), seeded once with 0xFFFFFFFF and never
    /// reseeded, and stores the register after each block. Like partclone.chkimg we check every one of them; so a
    /// damaged first byte of any block, a dropped or duplicated block and any damage to the checksums are found
    /// (the rest of a block's bytes the v1 checksum never covered). Checksums are 4 bytes: a layout with 8-byte slots
    /// (said of old 64-bit builds) is refused at block 1, as partclone 0.3.23's chkimg refuses it.
    /// </summary>
    private static void WalkPartcloneV1(DecodedReader r, PartitionImageInfo info)
    {
        r.Pass(4160 + info.TotalBlocks + 8, "partclone v1 header and bitmap", static _ => { });
        int bs = info.BlockSize;
        long used = info.UsedBlocks;
        var running = new Crc32();
        var repeated = new byte[bs];
        for (long block = 0; block < used; block++)
        {
            byte first = r.Peek(1, "partclone v1 block")[0];
            r.Pass(bs, "partclone v1 block", static _ => { });
            repeated.AsSpan().Fill(first);
            running.Append(repeated);
            uint expected = ~running.GetCurrentHashAsUInt32();
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(r.Peek(4, "partclone v1 block checksum"));
            if (stored != expected)
                throw r.Damage($"the partclone v1 checksum of block {block} (of {used} used) is 0x{stored:x8} but the blocks up to it give 0x{expected:x8}, so the image is corrupt");
            r.Pass(4, "partclone v1 block checksum", static _ => { });
        }
        r.ExpectEnd($"partclone v1 image ({used} used blocks)");
    }

    /// <summary>The partclone release whose modes this verifier knows: 0.3.23 writes NONE (-a0) and CRC32 (-a1) only.</summary>
    private const string InstalledPartclone = "0.3.23";

    private static string ChecksumModeName(ushort mode) => mode switch
    {
        0x30 => "XXH64",
        0x31 => "XXH128",
        _ => $"0x{mode:x2}",
    };

    private static void WalkNtfsclone(DecodedReader r)
    {
        var head = r.Take(50, "ntfsclone header");
        int clusterSize = BinaryPrimitives.ReadInt32LittleEndian(head[18..]);
        long clusters = BinaryPrimitives.ReadInt64LittleEndian(head[30..]);
        int dataOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(head[46..]);
        r.Pass(dataOffset - 50, "ntfsclone header", static _ => { });
        long position = 0;
        while (position < clusters)
        {
            byte command = r.Take(1, "ntfsclone cluster record")[0];
            switch (command)
            {
                case 0:
                    long gap = BinaryPrimitives.ReadInt64LittleEndian(r.Take(8, "ntfsclone gap record"));
                    if (gap <= 0 || gap > clusters - position)
                        throw r.Damage($"an ntfsclone gap of {gap} clusters at cluster {position} does not fit the {clusters} clusters, so the image is corrupt");
                    position += gap;
                    break;
                case 1:
                    r.Pass(clusterSize, "ntfsclone cluster", static _ => { });
                    position++;
                    break;
                default:
                    throw r.Damage($"ntfsclone record command {command} at cluster {position} is neither 0 (gap) nor 1 (cluster), so the image is corrupt");
            }
        }
        // ntfsclone 10.1 ends with one more record: the cluster holding the backup boot sector, past the last cluster.
        if (!r.AtEnd())
        {
            byte last = r.Take(1, "ntfsclone backup boot sector record")[0];
            if (last != 1)
                throw r.Damage($"after its last cluster the ntfsclone image holds record command {last} instead of the backup boot sector's cluster, so it is corrupt");
            r.Pass(clusterSize, "ntfsclone backup boot sector", static _ => { });
            r.ExpectEnd($"ntfsclone image ({clusters} clusters and the backup boot sector)");
        }
    }

    /// <summary>
    /// partimage 0.6, one volume, walked to its tail as partimage 0.6.9 writes it (the magic strings are written
    /// without their NUL): the 512-byte volume header; the 16 KiB main header and its checksum; MAGIC-BEGIN-MBRBACKUP
    /// and the MBR records; ten reserved MAGIC-BEGIN-EXTnnn sections; MAGIC-BEGIN-LOCALHEADER, the 16 KiB local header
    /// and its checksum; MAGIC-BEGIN-BITMAP and the bitmap (its set bits must be the used blocks); MAGIC-BEGIN-INFO,
    /// 16 KiB and its checksum; MAGIC-BEGIN-DATABLOCKS and the used blocks, with a "CHK" record holding the CRC-32 of
    /// every 64 KiB of them; MAGIC-BEGIN-TAIL and the 16 KiB tail naming volume 0; then the end of the stream.
    /// Header checksums are partimage's sum of the bytes as signed chars. The tail's own 64-bit checksum is not
    /// checked (its formula is not documented and is not the byte sum).
    /// </summary>
    private static void WalkPartimage(DecodedReader r)
    {
        const int Check = 65536, HeaderSize = 16384;
        r.Pass(512, "partimage volume header", static _ => { });
        var main = r.Take(HeaderSize, "partimage main header").ToArray();
        PartimageChecksum(r, main, "main header");
        uint mbrCount = BinaryPrimitives.ReadUInt32LittleEndian(main.AsSpan(9792));
        uint mbrSize = BinaryPrimitives.ReadUInt32LittleEndian(main.AsSpan(9796));
        uint encryption = BinaryPrimitives.ReadUInt32LittleEndian(main.AsSpan(9800));
        if (encryption != 0)
            throw r.Damage($"the partimage main header names encryption algorithm {encryption}, which partimage 0.6 never wrote, so the header is corrupt");
        Magic(r, "MAGIC-BEGIN-MBRBACKUP"u8, "MBR backup");
        if ((long)mbrCount * mbrSize > 64L * 1024 * 1024)
            throw r.Damage($"the partimage main header claims {mbrCount} MBR records of {mbrSize} bytes, so it is corrupt");
        r.Pass((long)mbrCount * mbrSize, "partimage MBR backup", static _ => { });
        for (int ext = 0; ext < 10; ext++)
        {
            Magic(r, System.Text.Encoding.ASCII.GetBytes($"MAGIC-BEGIN-EXT{ext:000}"), $"reserved section {ext}");
            r.Pass(4, "partimage reserved section", static _ => { });
        }
        Magic(r, "MAGIC-BEGIN-LOCALHEADER"u8, "local header");
        var local = r.Take(HeaderSize, "partimage local header").ToArray();
        PartimageChecksum(r, local, "local header");
        long blockSize = BinaryPrimitives.ReadInt64LittleEndian(local);
        long used = BinaryPrimitives.ReadInt64LittleEndian(local.AsSpan(8));
        long blocks = BinaryPrimitives.ReadInt64LittleEndian(local.AsSpan(16));
        long bitmapSize = BinaryPrimitives.ReadInt64LittleEndian(local.AsSpan(24));
        if (blockSize is <= 0 or > 64 * 1024 * 1024 || blocks <= 0 || used < 0 || used > blocks || bitmapSize < (blocks + 7) / 8 || bitmapSize > blocks / 8 + 1024 * 1024)
            throw r.Damage($"the partimage local header ({used} used of {blocks} blocks of {blockSize} bytes, bitmap {bitmapSize} bytes) is inconsistent, so it is corrupt");

        Magic(r, "MAGIC-BEGIN-BITMAP"u8, "bitmap");
        long seen = 0, marked = 0;
        r.Pass(bitmapSize, "partimage bitmap", chunk =>
        {
            long bits = Math.Max(0, Math.Min((long)chunk.Length * 8, blocks - seen));
            if (bits > 0) marked += CountBits(chunk, bits);
            seen += (long)chunk.Length * 8;
        });
        if (marked != used)
            throw r.Damage($"the partimage bitmap marks {marked} blocks used but the local header says {used}");
        Magic(r, "MAGIC-BEGIN-INFO"u8, "info block");
        PartimageChecksum(r, r.Take(HeaderSize, "partimage info block").ToArray(), "info block");
        Magic(r, "MAGIC-BEGIN-DATABLOCKS"u8, "data blocks");

        long data = used * blockSize, done = 0;
        var crc = new Crc32();
        while (done < data)
        {
            long group = Math.Min(Check, data - done);
            r.Pass(group, "partimage data blocks", chunk => crc.Append(chunk));
            done += group;
            if (group < Check) break;
            if (done == data && !r.PeekUpTo(4).SequenceEqual("CHK\0"u8)) break;
            var check = r.Take(16, "partimage CHK record");
            if (!check[..4].SequenceEqual("CHK\0"u8))
                throw r.Damage($"after {done} bytes of partimage data blocks there is no CHK record, so blocks are missing or the image is corrupt");
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(check[4..]);
            uint computed = crc.GetCurrentHashAsUInt32();
            if (stored != computed)
                throw r.Damage($"the CRC-32 of partimage data bytes {done - group}–{done - 1} is 0x{computed:x8} but its CHK record stores 0x{stored:x8}, so their data is corrupt");
            crc.Reset();
        }
        Magic(r, "MAGIC-BEGIN-TAIL"u8, "tail");
        var tail = r.Take(HeaderSize, "partimage tail");
        uint volume = BinaryPrimitives.ReadUInt32LittleEndian(tail[8..]);
        if (volume != 0)
            throw r.Damage($"the partimage tail names volume {volume} in a single-volume image, so it is corrupt");
        r.ExpectEnd($"partimage image ({used} used blocks and its tail)");
    }

    private static void Magic(DecodedReader r, ReadOnlySpan<byte> magic, string section)
    {
        var found = r.Peek(magic.Length, $"partimage {section} marker");
        if (!found.SequenceEqual(magic))
            throw r.Damage($"partimage's {System.Text.Encoding.ASCII.GetString(magic)} marker of its {section} is not there, so the image is corrupt or blocks are missing");
        r.Pass(magic.Length, $"partimage {section} marker", static _ => { });
    }

    private static void PartimageChecksum(DecodedReader r, byte[] header, string name)
    {
        uint computed = 0;
        foreach (byte b in header) computed += (uint)(sbyte)b;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(r.Take(4, $"partimage {name} checksum"));
        if (stored != computed)
            throw r.Damage($"the partimage {name} checksum is 0x{stored:x8} but its bytes give 0x{computed:x8}, so it is corrupt");
    }

    private static void WalkToEnd(DecodedReader r, PartitionImageInfo info)
    {
        long total = r.DrainToEnd();
        if (info.Tool == CloneTool.Dd && total < info.DeviceSizeBytes)
            throw r.Damage($"the raw image holds {total} bytes but its {info.Filesystem} filesystem needs {info.DeviceSizeBytes}, so it is truncated");
    }

    private static long CountBits(ReadOnlySpan<byte> bytes, long bits)
    {
        long count = 0;
        int whole = (int)(bits / 8);
        var longs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes[..(whole / 8 * 8)]);
        foreach (ulong l in longs) count += System.Numerics.BitOperations.PopCount(l);
        for (int i = whole / 8 * 8; i < whole; i++) count += System.Numerics.BitOperations.PopCount(bytes[i]);
        int rest = (int)(bits % 8);
        if (rest > 0) count += System.Numerics.BitOperations.PopCount((uint)(bytes[whole] & ((1 << rest) - 1)));
        return count;
    }
}
