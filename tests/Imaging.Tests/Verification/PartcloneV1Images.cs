using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace OgActors.Imaging.Tests.Verification;

/// <summary>
/// partclone v1 images ("0001") as partclone &lt; 0.3 wrote them, built from a real v2 image (checksum mode none):
/// partclone 0.3.23 reads v1 but cannot write it. Each used block is followed by its checksum, partclone's defective
/// CRC32_0001 (the block's first byte run block-size times, never reseeded), in 4 bytes or — as old 64-bit builds
/// wrote — in 8. The real <c>partclone.chkimg</c> is the judge of these fixtures (see the tests).
/// </summary>
public static class PartcloneV1Images
{
    public static string WithChecksums(string v2Image, string output, bool eightByteSlots = false)
    {
        var v2 = File.ReadAllBytes(v2Image);
        if (BinaryPrimitives.ReadUInt16LittleEndian(v2.AsSpan(96)) != 0) throw new ArgumentException("needs a v2 image made with -a0");
        long device = BinaryPrimitives.ReadInt64LittleEndian(v2.AsSpan(52));
        long total = BinaryPrimitives.ReadInt64LittleEndian(v2.AsSpan(60));
        long used = BinaryPrimitives.ReadInt64LittleEndian(v2.AsSpan(76));
        int bs = BinaryPrimitives.ReadInt32LittleEndian(v2.AsSpan(84));
        int data = 110 + (int)((total + 7) / 8) + 4;

        using var o = File.Create(output);
        var head = new byte[4160];
        Encoding.ASCII.GetBytes("partclone-image").CopyTo(head, 0);
        v2.AsSpan(36, 15).CopyTo(head.AsSpan(15));
        Encoding.ASCII.GetBytes("0001").CopyTo(head, 30);
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(36), bs);
        BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(40), device);
        BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(48), total);
        BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(56), used);
        o.Write(head);
        var bitmap = new byte[total];
        for (long i = 0; i < total; i++) bitmap[i] = (byte)((v2[110 + i / 8] >> (int)(i % 8)) & 1);
        o.Write(bitmap);
        o.Write("BiTmAgIc"u8);
        // The CRC register by the table, as partclone 0.2 computed it (written out independently of the verifier's way).
        uint register = 0xFFFFFFFF;
        var slot = new byte[eightByteSlots ? 8 : 4];
        for (long k = 0; k < used; k++)
        {
            var block = v2.AsSpan((int)(data + k * bs), bs);
            for (int i = 0; i < bs; i++) register = (register >> 8) ^ Table[(register ^ block[0]) & 0xFF];
            o.Write(block);
            BinaryPrimitives.WriteUInt32LittleEndian(slot, register);
            o.Write(slot);
        }
        return output;
    }

    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int j = 0; j < 8; j++) c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        return c;
    }).ToArray();

    /// <summary>Byte offset of used block <paramref name="index"/>'s data in a v1 image with 4-byte checksums.</summary>
    public static long BlockOffset(string v1Image, long index)
    {
        using var f = File.OpenRead(v1Image);
        var head = new byte[64];
        f.ReadExactly(head);
        int bs = BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(36));
        long total = BinaryPrimitives.ReadInt64LittleEndian(head.AsSpan(48));
        return 4160 + total + 8 + index * (bs + 4L);
    }

    public static long UsedBlocks(string v1Image)
    {
        using var f = File.OpenRead(v1Image);
        var head = new byte[64];
        f.ReadExactly(head);
        return BinaryPrimitives.ReadInt64LittleEndian(head.AsSpan(56));
    }

    /// <summary>A copy of a real v2 CRC32 image re-laid out to claim <paramref name="mode"/> with 8-byte checksums (header CRC redone).</summary>
    public static string ClaimingChecksumMode(string v2Crc32Image, string output, ushort mode)
    {
        var v2 = File.ReadAllBytes(v2Crc32Image);
        if (BinaryPrimitives.ReadUInt16LittleEndian(v2.AsSpan(96)) != 0x20) throw new ArgumentException("needs a v2 CRC32 image");
        long total = BinaryPrimitives.ReadInt64LittleEndian(v2.AsSpan(60));
        long used = BinaryPrimitives.ReadInt64LittleEndian(v2.AsSpan(76));
        int bs = BinaryPrimitives.ReadInt32LittleEndian(v2.AsSpan(84));
        int per = (int)BinaryPrimitives.ReadUInt32LittleEndian(v2.AsSpan(100));
        int data = 110 + (int)((total + 7) / 8) + 4;
        var head = v2.AsSpan(0, data).ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(96), mode);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(98), 8);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(106), ~Crc32.HashToUInt32(head.AsSpan(0, 106)));
        using var o = File.Create(output);
        o.Write(head);
        long at = data;
        for (long block = 0; block < used; block += per)
        {
            long group = Math.Min(per, used - block);
            o.Write(v2, (int)at, (int)(group * bs));
            at += group * bs + 4;
            o.Write(new byte[8]);
        }
        return output;
    }
}
