using System.Buffers.Binary;
using System.Numerics;

namespace OgActors.Imaging.Inspection;

/// <summary>
/// Names the filesystem at the start of a raw (dd) partition image from its boot sector or superblock, with the
/// size the filesystem occupies. Names follow partclone's: EXTFS, NTFS, FAT12/16/32, EXFAT, XFS, BTRFS.
/// </summary>
internal static class RawFilesystemProbe
{
    /// <summary>btrfs keeps its superblock at 64 KiB; everything else is in the first 4 KiB.</summary>
    public const int BytesWanted = 0x10000 + 4096;

    public sealed record Found(string Filesystem, long SizeBytes, int BlockSize, long UsedBlocks);

    public static Found? Probe(ReadOnlySpan<byte> head) => Ext(head) ?? Ntfs(head) ?? ExFat(head) ?? Fat(head) ?? Xfs(head) ?? Btrfs(head);

    private static Found? Ext(ReadOnlySpan<byte> h)
    {
        const int Sb = 1024;
        if (h.Length < Sb + 0x160 || BinaryPrimitives.ReadUInt16LittleEndian(h[(Sb + 0x38)..]) != 0xEF53) return null;
        int logBlock = BinaryPrimitives.ReadInt32LittleEndian(h[(Sb + 0x18)..]);
        if (logBlock is < 0 or > 6) return null;
        int blockSize = 1024 << logBlock;
        bool is64 = (BinaryPrimitives.ReadUInt32LittleEndian(h[(Sb + 0x60)..]) & 0x80) != 0;
        long blocks = BinaryPrimitives.ReadUInt32LittleEndian(h[(Sb + 0x04)..]);
        long free = BinaryPrimitives.ReadUInt32LittleEndian(h[(Sb + 0x0C)..]);
        if (is64)
        {
            blocks |= (long)BinaryPrimitives.ReadUInt32LittleEndian(h[(Sb + 0x150)..]) << 32;
            free |= (long)BinaryPrimitives.ReadUInt32LittleEndian(h[(Sb + 0x158)..]) << 32;
        }
        return blocks > 0 && free <= blocks ? new Found("EXTFS", blocks * blockSize, blockSize, blocks - free) : null;
    }

    private static Found? Ntfs(ReadOnlySpan<byte> h)
    {
        if (h.Length < 512 || !h.Slice(3, 8).SequenceEqual("NTFS    "u8) || !BootSignature(h)) return null;
        int bps = BinaryPrimitives.ReadUInt16LittleEndian(h[11..]);
        int spc = h[13];
        long sectors = BinaryPrimitives.ReadInt64LittleEndian(h[40..]);
        if (!BitOperations.IsPow2(bps) || bps is < 256 or > 4096 || sectors <= 0) return null;
        if (spc > 0x80) spc = 1 << (256 - spc);           // large clusters are stored as a negative power of two
        // total_sectors excludes the backup boot sector in the partition's last sector.
        long size = (sectors + 1) * bps;
        int cluster = bps * Math.Max(spc, 1);
        return new Found("NTFS", size, cluster, size / cluster);
    }

    private static Found? ExFat(ReadOnlySpan<byte> h)
    {
        if (h.Length < 512 || !h.Slice(3, 8).SequenceEqual("EXFAT   "u8) || !BootSignature(h)) return null;
        long sectors = BinaryPrimitives.ReadInt64LittleEndian(h[72..]);
        int bpsShift = h[108], spcShift = h[109];
        if (bpsShift is < 9 or > 12 || spcShift > 25 || sectors <= 0) return null;
        long size = sectors << bpsShift;
        int cluster = 1 << (bpsShift + spcShift);
        return new Found("EXFAT", size, cluster, size / cluster);
    }

    private static Found? Fat(ReadOnlySpan<byte> h)
    {
        if (h.Length < 512 || !BootSignature(h)) return null;
        int bps = BinaryPrimitives.ReadUInt16LittleEndian(h[11..]);
        int spc = h[13];
        if (!BitOperations.IsPow2(bps) || bps is < 512 or > 4096 || spc == 0 || !BitOperations.IsPow2(spc)) return null;
        long sectors = BinaryPrimitives.ReadUInt16LittleEndian(h[19..]);
        if (sectors == 0) sectors = BinaryPrimitives.ReadUInt32LittleEndian(h[32..]);
        string? type = h.Slice(82, 8).SequenceEqual("FAT32   "u8) ? "FAT32"
            : h.Slice(54, 8).SequenceEqual("FAT16   "u8) ? "FAT16"
            : h.Slice(54, 8).SequenceEqual("FAT12   "u8) ? "FAT12"
            : null;
        if (type is null || sectors == 0) return null;
        long size = sectors * bps;
        int cluster = bps * spc;
        return new Found(type, size, cluster, size / cluster);
    }

    private static Found? Xfs(ReadOnlySpan<byte> h)
    {
        if (h.Length < 16 || !h.StartsWith("XFSB"u8)) return null;
        int blockSize = (int)BinaryPrimitives.ReadUInt32BigEndian(h[4..]);
        long blocks = (long)BinaryPrimitives.ReadUInt64BigEndian(h[8..]);
        if (!BitOperations.IsPow2(blockSize) || blockSize is < 512 or > 65536 || blocks <= 0) return null;
        return new Found("XFS", blocks * blockSize, blockSize, blocks);
    }

    private static Found? Btrfs(ReadOnlySpan<byte> h)
    {
        const int Sb = 0x10000;
        if (h.Length < Sb + 0x100 || !h.Slice(Sb + 0x40, 8).SequenceEqual("_BHRfS_M"u8)) return null;
        long total = BinaryPrimitives.ReadInt64LittleEndian(h[(Sb + 0x70)..]);
        long used = BinaryPrimitives.ReadInt64LittleEndian(h[(Sb + 0x78)..]);
        int sector = BinaryPrimitives.ReadInt32LittleEndian(h[(Sb + 0x90)..]);
        if (total <= 0 || !BitOperations.IsPow2(sector) || sector is < 512 or > 65536) return null;
        return new Found("BTRFS", total, sector, Math.Clamp(used / sector, 0, total / sector));
    }

    private static bool BootSignature(ReadOnlySpan<byte> h) => h[510] == 0x55 && h[511] == 0xAA;
}
