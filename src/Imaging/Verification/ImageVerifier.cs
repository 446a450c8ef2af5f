using System.Buffers.Binary;
using System.IO.Hashing;
using OgActors.Imaging.Compression;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Progress;

namespace OgActors.Imaging.Verification;

/// <summary>
/// Deep verification: decompresses an image file completely and walks its clone tool's structure to the end —
/// partclone v2 (header, bitmap and its CRC, every CRC32 block checksum, exactly the used blocks, nothing after),
/// partclone v1 (bitmap, every block and its CRC slot), ntfsclone (every cluster record up to the last cluster),
/// partimage and raw dd (decompressed completely; raw at least as long as its filesystem says).
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

    private static void WalkPartcloneV1(DecodedReader r, PartitionImageInfo info)
    {
        r.Pass(4160 + info.TotalBlocks + 8, "partclone v1 header and bitmap", static _ => { });
        r.Pass(info.UsedBlocks * (info.BlockSize + 4L), "partclone v1 blocks", static _ => { });
        r.ExpectEnd($"partclone v1 image ({info.UsedBlocks} used blocks)");
    }

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
