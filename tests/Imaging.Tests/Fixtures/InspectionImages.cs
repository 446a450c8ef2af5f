using System.Buffers.Binary;
using System.Text;
using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Tests.Fixtures;

/// <summary>
/// The filesystems and images the inspection tests share, made once per test collection by the real tools
/// (see <see cref="ImageFactory"/>). Small filesystems (4–40 MiB) keep it to a few seconds.
/// </summary>
public sealed class InspectionImages : IDisposable
{
    public ImageFactory Factory { get; } = new("inspect");

    public string Content { get; }
    public string Ext4 { get; }
    public string Ext4Partclone { get; }
    public string Ext4PartcloneNoChecksum { get; }
    public string Ntfs { get; }
    public string NtfsPartclone { get; }
    public string NtfsNtfsclone { get; }
    public string Fat32 { get; }
    public string Fat32Partclone { get; }
    public string Fat16Partclone { get; }
    public string Fat12Partclone { get; }
    public string Fat32Imager { get; }
    public string Ext4PartcloneV1 { get; }
    /// <summary>partimage image of an ext3 filesystem (partimage cannot read ext4), or null when loop devices are unavailable.</summary>
    public string? Ext3Partimage { get; }
    public bool LoopDevices { get; }

    public InspectionImages()
    {
        Content = Factory.MakeContent("content", seed: 7);
        Ext4 = Factory.MakeExt("fs/ext4.img", 32, Content);
        Ext4Partclone = Factory.Partclone("extfs", Ext4, "pc/ext4.pcl");
        Ext4PartcloneNoChecksum = Factory.Partclone("extfs", Ext4, "pc/ext4-a0.pcl", checksum: 0);
        Ntfs = Factory.MakeNtfs("fs/ntfs.img", 32);
        NtfsPartclone = Factory.Partclone("ntfs", Ntfs, "pc/ntfs.pcl");
        NtfsNtfsclone = Factory.Ntfsclone(Ntfs, "nc/ntfs.ntfsclone");
        Fat32 = Factory.MakeVfat("fs/fat32.img", 40, 32);
        Fat32Partclone = Factory.Partclone("fat", Fat32, "pc/fat32.pcl");
        Fat16Partclone = Factory.Partclone("fat", Factory.MakeVfat("fs/fat16.img", 20, 16), "pc/fat16.pcl");
        Fat12Partclone = Factory.Partclone("fat", Factory.MakeVfat("fs/fat12.img", 4, 12), "pc/fat12.pcl");
        Fat32Imager = Factory.PartcloneImager(Fat32, "pc/fat32-imager.pcl");
        Ext4PartcloneV1 = PartcloneV1.FromV2(Ext4PartcloneNoChecksum, Factory.PathOf("pc/ext4-v1.pcl"));
        LoopDevices = LoopDevice.Available();
        if (LoopDevices)
            Ext3Partimage = Factory.Partimage(Factory.MakeExt("fs/ext3.img", 32, Content, type: "ext3"), "pi/ext3.partimg");
    }

    /// <summary>The ext4 partclone image compressed with <paramref name="compressor"/>'s CLI (cached).</summary>
    public string Ext4PartcloneCompressed(Compressor compressor) => _compressed.GetOrAdd(compressor,
        c => c == Compressor.None ? Ext4Partclone : Factory.Compress(Ext4Partclone, c, $"pc/ext4.pcl.{c}".ToLowerInvariant()));

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Compressor, string> _compressed = new();

    /// <summary>What the real `partclone.info` says of an image: device size in blocks, used blocks, block size, file system.</summary>
    public static (string Fs, long TotalBlocks, long UsedBlocks, int BlockSize) PartcloneInfo(string image)
    {
        var text = ToolRunner.Run("partclone.info", "-s", image);
        string Line(string key) => text.Split('\n').First(l => l.TrimStart().StartsWith(key, StringComparison.Ordinal));
        long Blocks(string key) => long.Parse(Line(key).Split('=')[1].Trim().Split(' ')[0]);
        return (Line("File system:").Split(':')[1].Trim(), Blocks("Device size:"), Blocks("Space in use:"),
            int.Parse(Line("Block size:").Split(':')[1].Trim().Split(' ')[0]));
    }

    public void Dispose() => Factory.Dispose();
}

/// <summary>
/// partclone 0.3.x (the only partclone here) cannot write format v1 any more, so a v1 image is made from a real
/// v2 image (checksum mode none) by re-laying it out as partclone &lt; 0.3 wrote it: the 4160-byte v1 header, a byte
/// bitmap, "BiTmAgIc", then every used block followed by a 4-byte CRC (written as zero; inspection does not read block CRCs).
/// </summary>
public static class PartcloneV1
{
    public static string FromV2(string v2Image, string output)
    {
        var v2 = File.ReadAllBytes(v2Image);
        if (BinaryPrimitives.ReadUInt16LittleEndian(v2.AsSpan(96)) != 0) throw new ArgumentException("needs a v2 image made with -a0");
        long device = BinaryPrimitives.ReadInt64LittleEndian(v2.AsSpan(52));
        long total = BinaryPrimitives.ReadInt64LittleEndian(v2.AsSpan(60));
        long used = BinaryPrimitives.ReadInt64LittleEndian(v2.AsSpan(76));
        int bs = BinaryPrimitives.ReadInt32LittleEndian(v2.AsSpan(84));
        var fs = v2.AsSpan(36, 16);
        int bitmapBytes = (int)((total + 7) / 8);
        int data = 110 + bitmapBytes + 4;

        using var o = File.Create(output);
        var head = new byte[4160];
        Encoding.ASCII.GetBytes("partclone-image").CopyTo(head, 0);
        fs[..15].CopyTo(head.AsSpan(15));
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
        var crc = new byte[4];
        for (long k = 0; k < used; k++)
        {
            o.Write(v2, (int)(data + k * bs), bs);
            o.Write(crc);
        }
        return output;
    }
}
